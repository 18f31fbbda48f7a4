import Foundation
import GazetteCore
import GazetteSources

/// What a worker needs to know, taken from `Config` once.
public struct WorkerSettings: Sendable {
    /// Time between the starts of two passes.
    public var interval: TimeInterval
    /// How long a claimed channel stays ours before another worker may take it over.
    public var leaseDuration: TimeInterval
    /// Posts older than this are not fetched and are deleted by retention.
    public var postTTL: TimeInterval
    /// Channels fetched at the same time (each host still gets at most `hostConcurrency` requests).
    public var concurrency: Int
    /// Channels claimed per round trip to the database.
    public var claimBatch: Int
    /// Posts with the same text within this window of each other are duplicates (SPEC §4).
    public var dedupWindow: TimeInterval
    public var retentionBatchSize: Int
    /// Backoff of a failing channel.
    public var channelBackoff: Backoff
    /// Backoff of the whole loop while the database is unavailable.
    public var databaseBackoff: Backoff
    /// This worker's name in leases (`host:pid:random`).
    public var owner: String
    /// How long after another worker's lease runs out this worker looks again (clock skew between machines).
    public var leaseTakeoverSlack: TimeInterval

    public init(config: Config, owner: String = WorkerSettings.defaultOwner()) {
        interval = config.interval
        leaseDuration = config.leaseDuration
        postTTL = TimeInterval(config.postTTLDays) * 86_400
        concurrency = 8
        claimBatch = 32
        dedupWindow = 7 * 86_400
        retentionBatchSize = 1_000
        channelBackoff = Backoff(base: 60, cap: 6 * 3600, jitter: 0.2)
        databaseBackoff = Backoff(base: 2, cap: min(300, max(5, config.interval)), jitter: 0.2)
        self.owner = owner
        leaseTakeoverSlack = 1
    }

    public static func defaultOwner() -> String {
        let host = ProcessInfo.processInfo.hostName
        return "\(host):\(ProcessInfo.processInfo.processIdentifier):\(UInt32.random(in: 0...UInt32.max))"
    }
}
