import GazetteTestSupport
import Foundation
import GazetteCore
import GazetteSources
import GazetteStorage
@testable import GazetteWorker
import Logging
import GazetteMetrics
import ServiceLifecycle
import Synchronization
import Testing

/// Forwards to a real store, failing every call while `down` is set: a database outage without stopping a server.
/// It implements only the roles the worker uses.
final class FlakyStore: WorkerStore {
    let base: any GazetteStore
    let down = Mutex(false)
    init(_ base: any GazetteStore) { self.base = base }

    private func check() throws {
        if down.withLock({ $0 }) { throw StoreError.unavailable("connection refused (test outage)") }
    }

    func upsertChannel(_ ref: ChannelRef) async throws -> Channel { try check(); return try await base.upsertChannel(ref) }
    func updateChannelMetadata(channelID: Int64, _ metadata: ChannelMetadata) async throws {
        try check(); try await base.updateChannelMetadata(channelID: channelID, metadata)
    }
    func channel(id: Int64) async throws -> Channel? { try check(); return try await base.channel(id: id) }
    func channel(ref: ChannelRef) async throws -> Channel? { try check(); return try await base.channel(ref: ref) }
    func subscribe(userID: Int64, ref: ChannelRef, tags: [String]) async throws -> (channel: Channel, created: Bool) {
        try check(); return try await base.subscribe(userID: userID, ref: ref, tags: tags)
    }
    func unsubscribe(userID: Int64, channelID: Int64) async throws -> Bool { try check(); return try await base.unsubscribe(userID: userID, channelID: channelID) }
    func subscriptions(userID: Int64, limit: Int, offset: Int) async throws -> [SubscribedChannel] {
        try check(); return try await base.subscriptions(userID: userID, limit: limit, offset: offset)
    }
    func subscriptionCount(userID: Int64) async throws -> Int { try check(); return try await base.subscriptionCount(userID: userID) }
    func subscription(userID: Int64, channelID: Int64) async throws -> SubscribedChannel? {
        try check(); return try await base.subscription(userID: userID, channelID: channelID)
    }
    func subscription(userID: Int64, ref: ChannelRef) async throws -> SubscribedChannel? {
        try check(); return try await base.subscription(userID: userID, ref: ref)
    }
    func subscribedChannelIDs(userID: Int64) async throws -> [Int64] { try check(); return try await base.subscribedChannelIDs(userID: userID) }
    func subscribers(channelID: Int64) async throws -> [Int64] { try check(); return try await base.subscribers(channelID: channelID) }
    func subscribedChannelCount() async throws -> Int { try check(); return try await base.subscribedChannelCount() }
    func savePosts(_ posts: [Post], channelID: Int64, outcome: FetchOutcome?, dedupWindow: TimeInterval) async throws -> SaveResult {
        try check(); return try await base.savePosts(posts, channelID: channelID, outcome: outcome, dedupWindow: dedupWindow)
    }
    func upsertPost(_ post: Post, channelID: Int64) async throws { try check(); try await base.upsertPost(post, channelID: channelID) }
    func posts(forUser userID: Int64, since: Date, until: Date, limits: WindowLimits) async throws -> [ChannelPosts] {
        try check(); return try await base.posts(forUser: userID, since: since, until: until, limits: limits)
    }
    func posts(channelID: Int64, since: Date, until: Date, limit: Int) async throws -> [Post] {
        try check(); return try await base.posts(channelID: channelID, since: since, until: until, limit: limit)
    }
    func newestPostID(forUser userID: Int64, since: Date) async throws -> Int64? { try check(); return try await base.newestPostID(forUser: userID, since: since) }
    func deleteExpiredPosts(olderThan: Date, batchSize: Int) async throws -> Int { try check(); return try await base.deleteExpiredPosts(olderThan: olderThan, batchSize: batchSize) }
    func fetchState(channelID: Int64) async throws -> FetchState? { try check(); return try await base.fetchState(channelID: channelID) }
    func claimDueChannels(owner: String, now: Date, lease: TimeInterval, limit: Int) async throws -> [Channel] {
        try check(); return try await base.claimDueChannels(owner: owner, now: now, lease: lease, limit: limit)
    }
    func nextForeignLeaseExpiry(owner: String, now: Date) async throws -> Date? {
        try check(); return try await base.nextForeignLeaseExpiry(owner: owner, now: now)
    }
    func recordFetch(channelID: Int64, owner: String, outcome: FetchOutcome) async throws { try check(); try await base.recordFetch(channelID: channelID, owner: owner, outcome: outcome) }
    func releaseLease(channelID: Int64, owner: String) async throws { try check(); try await base.releaseLease(channelID: channelID, owner: owner) }
    func setFetchVia(channelID: Int64, _ via: FetchVia) async throws { try check(); try await base.setFetchVia(channelID: channelID, via) }
    func recordFetchMethod(channelID: Int64, method: FetchMethod, reason: String, accountChatID: Int64?) async throws {
        try check(); try await base.recordFetchMethod(channelID: channelID, method: method, reason: reason, accountChatID: accountChatID)
    }
    func fetchRoutes(channelIDs: [Int64]) async throws -> [Int64: FetchRoute] { try check(); return try await base.fetchRoutes(channelIDs: channelIDs) }
    func recordAccountJoin(channelID: Int64, _ join: AccountJoin?) async throws { try check(); try await base.recordAccountJoin(channelID: channelID, join) }
    func accountChannels() async throws -> [AccountChannel] { try check(); return try await base.accountChannels() }
    func claimAccount(owner: String, now: Date, lease: TimeInterval) async throws -> Bool {
        try check(); return try await base.claimAccount(owner: owner, now: now, lease: lease)
    }
    func setAccountState(owner: String, _ state: AccountState, now: Date) async throws -> Bool {
        try check(); return try await base.setAccountState(owner: owner, state, now: now)
    }
    func releaseAccount(owner: String) async throws { try check(); try await base.releaseAccount(owner: owner) }
    func accountLease() async throws -> AccountLease? { try check(); return try await base.accountLease() }
    func claimDueChannelsLeavingAccount(owner: String, now: Date, lease: TimeInterval, limit: Int) async throws -> [Channel] {
        try check(); return try await base.claimDueChannelsLeavingAccount(owner: owner, now: now, lease: lease, limit: limit)
    }
    func dueAccountChannels(now: Date) async throws -> [Channel] { try check(); return try await base.dueAccountChannels(now: now) }
}

@Suite("worker service", .timeLimit(.minutes(3)))
struct ShutdownAndOutageTests {
    @Test func databaseOutageBacksOffAndRecoversWithoutRestart() async throws {
        let clock = ManualClock(Date())
        let fake = FakeChannels(channels: ["outagechan"], postsPerChannel: 3, now: clock.now())
        try await FakeServer.run(fake.router()) { base in
            try await WorkerHarness.withSQLite { real, _ in
                try await WorkerHarness.subscribe(real, ["outagechan"])
                let store = FlakyStore(real)
                store.down.withLock { $0 = true }
                let config = WorkerHarness.config(base: base)
                let registry = MetricRegistry()
                try await WorkerHarness.withSources(config, registry: registry, clock: clock) { sources in
                    let worker = WorkerHarness.worker(store: store, sources: sources, registry: registry, config: config, clock: clock)
                    let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], logger: WorkerHarness.logger))
                    try await withThrowingTaskGroup(of: Void.self) { tasks in
                        tasks.addTask { try await group.run() }
                        // Down: passes fail and back off (0.05–0.2 s on the clock, moved by the test), the database error
                        // counter moves, readiness is false. Requests' 20 s timeouts are never moved past.
                        #expect(try await clock.advance(until: {
                            WorkerHarness.value(registry.text(), #"post_fetcher_errors_total{error_type="database"}"#) >= 2
                        }, overSleepsOfAtMost: 1))
                        #expect(worker.readiness().ok == false)
                        // Back up: the next retry succeeds without a restart.
                        store.down.withLock { $0 = false }
                        #expect(try await clock.advance(until: { worker.readiness().ok }, overSleepsOfAtMost: 1))
                        let channel = try #require(try await real.channel(ref: .telegram(username: "outagechan")))
                        #expect(try await eventually {
                            try await real.posts(channelID: channel.id, since: .distantPast, until: .distantFuture, limit: 10).count == 3
                        })
                        await group.triggerGracefulShutdown()
                        try await tasks.waitForAll()
                    }
                }
            }
        }
    }

    /// `slowchan` never answers and the clock never moves, so the fetch can only end by being cancelled: shutdown must
    /// cancel it and release its lease (if it did not, the test would hang until its time limit).
    @Test func gracefulShutdownReleasesTheCurrentChannelPromptly() async throws {
        let clock = ManualClock(Date())
        let fake = FakeChannels(channels: [], postsPerChannel: 0, now: clock.now())
        try await fake.serve { base in
            try await WorkerHarness.withSQLite { store, _ in
                try await WorkerHarness.subscribe(store, ["slowchan"])
                let config = WorkerHarness.config(base: base)
                let registry = MetricRegistry()
                // A timeout far beyond the test's time limit: only cancellation can end the request.
                try await WorkerHarness.withSources(config, registry: registry, clock: clock, timeout: 3600) { sources in
                    let worker = WorkerHarness.worker(store: store, sources: sources, registry: registry, config: config, clock: clock)
                    let group = ServiceGroup(configuration: .init(services: [.init(service: worker)], logger: WorkerHarness.logger))
                    let channel = try #require(try await store.channel(ref: .telegram(username: "slowchan")))
                    try await withThrowingTaskGroup(of: Void.self) { tasks in
                        tasks.addTask { try await group.run() }
                        #expect(try await eventually { fake.gate.waiting == 1 })
                        #expect(try await store.fetchState(channelID: channel.id)?.leaseOwner != nil)
                        await group.triggerGracefulShutdown()
                        try await tasks.waitForAll()
                    }
                    let state = try #require(try await store.fetchState(channelID: channel.id))
                    #expect(state.leaseOwner == nil)
                    #expect(state.consecutiveFailures == 0)   // released untouched, not recorded as a failure
                }
            }
        }
    }
}
