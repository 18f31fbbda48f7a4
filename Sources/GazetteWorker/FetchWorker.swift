import Foundation
import GazetteCore
import GazetteSources
import Logging
import ServiceLifecycle
import Synchronization

/// The store roles the worker uses: channels (metadata, the subscribed count), posts and fetch state with leases,
/// and each channel's fetch method (preview or user account).
public typealias WorkerStore = ChannelStore & PostStore & FetchStateStore & AccountStore

/// The post fetcher: a pass at start, then one every `interval`, until graceful shutdown.
///
/// A pass claims due channels with leases (so several workers share one PostgreSQL database without fetching a
/// channel twice), fetches them a few at a time, saves each channel's posts and its new fetch state in one
/// transaction, then deletes expired posts. A failing channel is recorded and counted, never stops the pass.
/// When the database is unavailable the loop backs off and reports not-ready until a pass succeeds again.
/// When a pass leaves due channels under another worker's lease (that worker may have died holding them), the
/// next pass starts as soon as the earliest such lease runs out instead of a whole interval later.
public final class FetchWorker: Service {
    /// Observes each finished channel (progress display).
    public typealias ChannelObserver = @Sendable (ChannelReport) -> Void

    let store: any WorkerStore
    let sources: any PostSource
    /// The Telegram user account of this process, when it has one (`GazetteAccount.AccountService`).
    let account: (any AccountPostSource)?
    let metrics: FetcherMetrics
    let settings: WorkerSettings
    let logger: Logger
    let clock: any GazetteClock
    private let state = Mutex(LoopState())
    /// Feeds whose unreadable dates were logged already (once per feed and process).
    let loggedUnreadDates = Mutex(Set<String>())

    struct LoopState {
        var lastPassFinishedAt: Date?
        var lastPassError: String?
        var startedAt: Date?
    }

    public init(store: any WorkerStore, sources: any PostSource, metrics: FetcherMetrics, settings: WorkerSettings,
                logger: Logger, clock: any GazetteClock = SystemClock(), account: (any AccountPostSource)? = nil) {
        self.store = store
        self.sources = sources
        self.account = account
        self.metrics = metrics
        self.settings = settings
        self.logger = logger
        self.clock = clock
    }

    func now() -> Date { clock.now() }

    // MARK: Service

    public func run() async throws {
        state.withLock { $0.startedAt = now() }
        // 1 for as long as the worker service runs (not only during passes): PostFetcherWorkerDown pages on 0.
        metrics.running.set(Double(1))
        defer { metrics.running.set(Double(0)) }
        logger.info("worker started", metadata: ["owner": "\(settings.owner)", "interval_s": "\(Int(settings.interval))"])
        // Shutdown cancels the loop: an in-flight fetch is abandoned and its lease released (see `process`).
        try await cancelWhenGracefulShutdown {
            var databaseFailures = 0
            while !Task.isCancelled {
                let started = self.now()
                let wakeAt: Date
                do {
                    let report = try await self.runPass(keepingChannels: false)
                    databaseFailures = 0
                    self.logger.info("pass finished", metadata: [
                        "channels": "\(report.totals.channels)", "saved": "\(report.saved)", "skipped": "\(report.skipped)",
                        "failed": "\(report.failed)", "expired_deleted": "\(report.expiredDeleted)",
                        "duration_s": "\(String(format: "%.2f", report.duration))",
                    ])
                    wakeAt = self.nextPassStart(passStartedAt: started, report: report)
                } catch is CancellationError {
                    break
                } catch {
                    databaseFailures += 1
                    let wait = self.settings.databaseBackoff.delay(failures: databaseFailures, unit: Double.random(in: 0...1))
                    self.logger.error("pass failed, retrying", metadata: ["error": "\(error)", "retry_in_s": "\(Int(wait))"])
                    wakeAt = self.now().addingTimeInterval(wait)
                }
                do {
                    try await self.clock.sleep(until: wakeAt)
                } catch {
                    break // cancelled: shutting down
                }
            }
        }
        logger.info("worker stopped")
    }

    /// One interval after the pass started, or earlier: just after the earliest lease another worker holds on a
    /// due channel runs out, so a crashed worker's channels are fetched within the lease duration plus one fetch.
    func nextPassStart(passStartedAt: Date, report: PassReport) -> Date {
        let regular = passStartedAt.addingTimeInterval(settings.interval)
        guard let lease = report.nextForeignLeaseExpiry else { return regular }
        // A moment past the expiry, so the claim's `lease_until <= now` holds despite clock skew between machines.
        let takeover = lease.addingTimeInterval(settings.leaseTakeoverSlack)
        guard takeover < regular else { return regular }
        logger.info("due channels are leased by another worker; looking again when the lease runs out",
                    metadata: ["lease_until": "\(lease)"])
        return takeover
    }

    // MARK: Passes

    /// One pass over the due channels. Throws only when the database cannot be used at all (claiming failed);
    /// channel failures are in the report. `keepingChannels: false` keeps only the totals (the service loop).
    @discardableResult
    public func runPass(keepingChannels: Bool = true, onChannel: ChannelObserver? = nil) async throws -> PassReport {
        let startedAt = now()
        let elapsed = ContinuousClock()
        let t0 = elapsed.now
        var reports: [ChannelReport] = []
        var totals = PassTotals()
        var interrupted = false
        let holder: String?
        do {
            holder = try await accountHolderElsewhere()
            let leaveAccount = holder != nil
            while !Task.isCancelled {
                let batch: [Channel]
                do {
                    batch = leaveAccount
                        ? try await store.claimDueChannelsLeavingAccount(owner: settings.owner, now: now(), lease: settings.leaseDuration,
                                                                         limit: settings.claimBatch)
                        : try await store.claimDueChannels(owner: settings.owner, now: now(), lease: settings.leaseDuration,
                                                           limit: settings.claimBatch)
                } catch {
                    if Task.isCancelled { break }
                    metrics.error(.database)
                    throw error
                }
                if batch.isEmpty { break }
                let results = await processBatch(batch, passStartedAt: startedAt, onChannel: onChannel)
                for result in results { totals.add(result) }
                if keepingChannels { reports += results }
                if results.contains(where: { $0.status == .released }) { interrupted = true }
            }
            if Task.isCancelled { interrupted = true }
        } catch {
            recordPassEnd(error: "\(error)")
            throw error
        }
        var deleted = 0
        var foreignLease: Date?
        var left: [String] = []
        if !interrupted, holder != nil, keepingChannels {
            do {
                left = try await store.dueAccountChannels(now: now()).map(\.key)
            } catch {
                metrics.error(.database)
                logger.warning("could not list the channels left to the account's owner", metadata: ["error": "\(error)"])
            }
        }
        if !interrupted {
            do {
                deleted = try await store.deleteExpiredPosts(olderThan: now().addingTimeInterval(-settings.postTTL),
                                                             batchSize: settings.retentionBatchSize)
                // What readers were sent about posts that are gone no longer matters ("not twice", issue 15).
                if let delivered = store as? any DeliveredStoryStore {
                    _ = try await delivered.deleteDeliveredStories(olderThan: now().addingTimeInterval(-settings.postTTL))
                }
                // Delivered digests (web reader, Atom feed) are kept as long as posts (issue 18).
                if let archive = store as? any DigestArchiveStore {
                    _ = try await archive.deleteArchivedDigests(olderThan: now().addingTimeInterval(-settings.postTTL))
                }
            } catch {
                metrics.error(.database)
                logger.warning("retention cleanup failed", metadata: ["error": "\(error)"])
            }
            do {
                foreignLease = try await store.nextForeignLeaseExpiry(owner: settings.owner, now: now())
            } catch {
                metrics.error(.database)
                logger.warning("could not look for leases held by other workers", metadata: ["error": "\(error)"])
            }
        }
        let seconds = (elapsed.now - t0).inSeconds
        metrics.duration.record(seconds)
        metrics.lastRun.set(now().timeIntervalSince1970)
        recordPassEnd(error: nil)
        var report = PassReport(startedAt: startedAt, duration: seconds, channels: reports, totals: totals, expiredDeleted: deleted,
                                interrupted: interrupted, nextForeignLeaseExpiry: foreignLease)
        report.accountHolder = holder
        report.leftToAccountHolder = left
        return report
    }

    /// The owner of the user account while it is another live process: this pass leaves the account's channels to it.
    private func accountHolderElsewhere() async throws -> String? {
        let lease: AccountLease?
        do {
            lease = try await store.accountLease()
        } catch {
            if Task.isCancelled { return nil }
            metrics.error(.database)
            throw error
        }
        guard let lease, let holder = lease.owner, (lease.leaseUntil ?? .distantPast) > now() else { return nil }
        return holder == (account?.owner ?? settings.owner) ? nil : holder
    }

    /// Fetches one channel now, whether due or not and without a lease (`gazette fetch --channel`). A channel only the
    /// account reads is left alone while another process owns the account.
    public func fetchOne(_ ref: ChannelRef, onChannel: ChannelObserver? = nil) async throws -> PassReport {
        let startedAt = now()
        let channel = try await store.upsertChannel(ref)
        if let holder = try await accountHolderElsewhere(), channel.kind == .telegram {
            let route = try await store.fetchRoutes(channelIDs: [channel.id])[channel.id]
            if ResolvedRoute.resolve(channel.ref, route: route, accountReady: true).method == .account {
                var report = PassReport(startedAt: startedAt, duration: now().timeIntervalSince(startedAt), channels: [],
                                        expiredDeleted: 0, interrupted: false)
                report.accountHolder = holder
                report.leftToAccountHolder = [channel.key]
                return report
            }
        }
        let report = await process(channel, passStartedAt: startedAt, leased: false)
        onChannel?(report)
        metrics.lastRun.set(now().timeIntervalSince1970)
        return PassReport(startedAt: startedAt, duration: now().timeIntervalSince(startedAt), channels: [report],
                          expiredDeleted: 0, interrupted: report.status == .released)
    }

    private func processBatch(_ batch: [Channel], passStartedAt: Date, onChannel: ChannelObserver?) async -> [ChannelReport] {
        await withTaskGroup(of: ChannelReport.self) { group in
            var pending = batch[...]
            var out: [ChannelReport] = []
            for _ in 0..<min(settings.concurrency, pending.count) {
                let channel = pending.removeFirst()
                group.addTask { await self.process(channel, passStartedAt: passStartedAt, leased: true) }
            }
            for await report in group {
                onChannel?(report)
                out.append(report)
                if let channel = pending.first {
                    pending.removeFirst()
                    group.addTask { await self.process(channel, passStartedAt: passStartedAt, leased: true) }
                }
            }
            return out
        }
    }

    private func recordPassEnd(error: String?) {
        let finished = now()
        state.withLock { s in
            s.lastPassError = error
            if error == nil { s.lastPassFinishedAt = finished }
        }
    }

    // MARK: Health

    /// Ready when the last pass finished within 3 × interval (or the worker started less than that ago and no
    /// pass has failed since).
    public func readiness() -> (ok: Bool, detail: String) {
        let s = state.withLock { $0 }
        let limit = 3 * settings.interval
        let current = now()
        if let error = s.lastPassError { return (false, "last pass failed: \(error)") }
        if let finished = s.lastPassFinishedAt {
            let age = current.timeIntervalSince(finished)
            return age <= limit ? (true, "last pass \(Int(age)) s ago") : (false, "last pass \(Int(age)) s ago, more than 3 × interval")
        }
        if let started = s.startedAt, current.timeIntervalSince(started) <= limit { return (true, "first pass running") }
        return (false, "no pass has finished")
    }
}
