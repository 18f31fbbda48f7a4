import Foundation
import GazetteCore

/// A store that counts its database failures in `database_errors_total` and otherwise does exactly what the
/// wrapped store does. Each process wraps its store once, next to the registry that serves its `/metrics`.
public struct MeteredStore: GazetteStore {
    public let base: any GazetteStore
    public let metrics: DatabaseMetrics

    public init(_ base: any GazetteStore, metrics: DatabaseMetrics) {
        self.base = base
        self.metrics = metrics
    }

    private func run<T>(_ operation: DatabaseMetrics.Operation, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            metrics.record(error, operation: operation)
            throw error
        }
    }

    public func migrate() async throws {
        try await run(.migrate) { try await base.migrate() }
    }
    public func schemaVersion() async throws -> Int {
        try await run(.read) { try await base.schemaVersion() }
    }
    public func ping() async throws {
        try await run(.ping) { try await base.ping() }
    }
    public func shutdown() async { await base.shutdown() }
    public func upsertChannel(_ ref: ChannelRef) async throws -> Channel {
        try await run(.write) { try await base.upsertChannel(ref) }
    }
    public func updateChannelMetadata(channelID: Int64, _ metadata: ChannelMetadata) async throws {
        try await run(.write) { try await base.updateChannelMetadata(channelID: channelID, metadata) }
    }
    public func channel(id: Int64) async throws -> Channel? {
        try await run(.read) { try await base.channel(id: id) }
    }
    public func channel(ref: ChannelRef) async throws -> Channel? {
        try await run(.read) { try await base.channel(ref: ref) }
    }
    public func subscribe(userID: Int64, ref: ChannelRef, tags: [String]) async throws -> (channel: Channel, created: Bool) {
        try await run(.write) { try await base.subscribe(userID: userID, ref: ref, tags: tags) }
    }
    public func unsubscribe(userID: Int64, channelID: Int64) async throws -> Bool {
        try await run(.write) { try await base.unsubscribe(userID: userID, channelID: channelID) }
    }
    public func subscriptions(userID: Int64, limit: Int) async throws -> [SubscribedChannel] {
        try await run(.read) { try await base.subscriptions(userID: userID, limit: limit) }
    }
    public func subscribers(channelID: Int64) async throws -> [Int64] {
        try await run(.read) { try await base.subscribers(channelID: channelID) }
    }
    public func subscribedChannels() async throws -> [Channel] {
        try await run(.read) { try await base.subscribedChannels() }
    }
    public func savePosts(_ posts: [Post], channelID: Int64, outcome: FetchOutcome?, dedupWindow: TimeInterval) async throws -> SaveResult {
        try await run(.write) { try await base.savePosts(posts, channelID: channelID, outcome: outcome, dedupWindow: dedupWindow) }
    }
    public func upsertPost(_ post: Post, channelID: Int64) async throws {
        try await run(.write) { try await base.upsertPost(post, channelID: channelID) }
    }
    public func posts(forUser userID: Int64, since: Date, until: Date, limits: WindowLimits) async throws -> [ChannelPosts] {
        try await run(.read) { try await base.posts(forUser: userID, since: since, until: until, limits: limits) }
    }
    public func posts(channelID: Int64, since: Date, until: Date, limit: Int) async throws -> [Post] {
        try await run(.read) { try await base.posts(channelID: channelID, since: since, until: until, limit: limit) }
    }
    public func newestPostID(forUser userID: Int64, since: Date) async throws -> Int64? {
        try await run(.read) { try await base.newestPostID(forUser: userID, since: since) }
    }
    public func deleteExpiredPosts(olderThan: Date, batchSize: Int) async throws -> Int {
        try await run(.write) { try await base.deleteExpiredPosts(olderThan: olderThan, batchSize: batchSize) }
    }
    public func fetchState(channelID: Int64) async throws -> FetchState? {
        try await run(.read) { try await base.fetchState(channelID: channelID) }
    }
    public func claimDueChannels(owner: String, now: Date, lease: TimeInterval, limit: Int) async throws -> [Channel] {
        try await run(.write) { try await base.claimDueChannels(owner: owner, now: now, lease: lease, limit: limit) }
    }
    public func recordFetch(channelID: Int64, owner: String, outcome: FetchOutcome) async throws {
        try await run(.write) { try await base.recordFetch(channelID: channelID, owner: owner, outcome: outcome) }
    }
    public func releaseLease(channelID: Int64, owner: String) async throws {
        try await run(.write) { try await base.releaseLease(channelID: channelID, owner: owner) }
    }
    public func claimDelivery(userID: Int64, kind: String, period: String, owner: String, now: Date) async throws -> Bool {
        try await run(.write) { try await base.claimDelivery(userID: userID, kind: kind, period: period, owner: owner, now: now) }
    }
    public func finishDelivery(userID: Int64, kind: String, period: String, status: Delivery.Status, now: Date) async throws {
        try await run(.write) { try await base.finishDelivery(userID: userID, kind: kind, period: period, status: status, now: now) }
    }
    public func delivery(userID: Int64, kind: String, period: String) async throws -> Delivery? {
        try await run(.read) { try await base.delivery(userID: userID, kind: kind, period: period) }
    }
    public func cachedDigest(key: String, now: Date) async throws -> CachedDigest? {
        try await run(.read) { try await base.cachedDigest(key: key, now: now) }
    }
    public func storeDigest(_ digest: CachedDigest) async throws {
        try await run(.write) { try await base.storeDigest(digest) }
    }
    public func deleteExpiredDigests(now: Date) async throws -> Int {
        try await run(.write) { try await base.deleteExpiredDigests(now: now) }
    }
    public func userSettings(userID: Int64) async throws -> UserSettings? {
        try await run(.read) { try await base.userSettings(userID: userID) }
    }
    public func saveUserSettings(_ settings: UserSettings) async throws {
        try await run(.write) { try await base.saveUserSettings(settings) }
    }
    public func usersWithDailyDigest() async throws -> [UserSettings] {
        try await run(.read) { try await base.usersWithDailyDigest() }
    }
    public func stateValue(_ key: String) async throws -> String? {
        try await run(.read) { try await base.stateValue(key) }
    }
    public func setStateValue(_ key: String, _ value: String) async throws {
        try await run(.write) { try await base.setStateValue(key, value) }
    }
}
