import Foundation
import GazetteCore
import GazetteSources

/// What a worker needs to know (`--interval`, `--lease-duration`, `--post-ttl-days` and the fixed limits).
public struct WorkerSettings: Sendable {
    /// Time between the starts of two passes.
    public var interval: TimeInterval = 3600
    /// How long a claimed channel stays ours before another worker may take it over.
    public var leaseDuration: TimeInterval = 300
    /// Posts older than this are not fetched and are deleted by retention.
    public var postTTL: TimeInterval = 7 * 86_400
    /// Channels fetched at the same time (each host still gets at most `hostConcurrency` requests).
    public var concurrency = 8
    /// Channels claimed per round trip to the database.
    public var claimBatch = 32
    /// Posts with the same text within this window of each other are duplicates (SPEC §4).
    public var dedupWindow: TimeInterval = 7 * 86_400
    public var retentionBatchSize = 1_000
    /// Backoff of a failing channel.
    public var channelBackoff = Backoff(base: 60, cap: 6 * 3600, jitter: 0.2)
    /// Backoff of the whole loop while the database is unavailable: capped by the interval (5 s to 5 min) unless set.
    public var databaseBackoff: Backoff {
        get { databaseBackoffOverride ?? Backoff(base: 2, cap: min(300, max(5, interval)), jitter: 0.2) }
        set { databaseBackoffOverride = newValue }
    }
    private var databaseBackoffOverride: Backoff?
    /// This worker's name in leases (`host:pid:random`).
    public var owner: String
    /// How long after another worker's lease runs out this worker looks again (clock skew between machines).
    public var leaseTakeoverSlack: TimeInterval = 1

    public init(owner: String = WorkerSettings.defaultOwner()) {
        self.owner = owner
    }

    public static func defaultOwner() -> String {
        let host = ProcessInfo.processInfo.hostName
        return "\(host):\(ProcessInfo.processInfo.processIdentifier):\(UInt32.random(in: 0...UInt32.max))"
    }
}
