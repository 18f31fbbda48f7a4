import Foundation

/// Everything Gazette keeps, behind one protocol with two implementations (SQLite and PostgreSQL).
///
/// Every method is safe to call from many tasks at once. Errors are `StoreError`; user input that is
/// wrong (an invalid channel, a too-long tag) is rejected before anything is written.
public protocol GazetteStore: Sendable {
    // MARK: Lifecycle
    /// Applies pending migrations; refuses a database whose schema is newer than this binary.
    func migrate() async throws
    /// The schema version recorded in the database (0 when none).
    func schemaVersion() async throws -> Int
    /// Cheap round trip used by readiness checks.
    func ping() async throws
    /// Closes pools and files. The store is unusable afterwards.
    func shutdown() async

    // MARK: Channels and subscriptions
    /// Returns the channel, creating it when unknown.
    func upsertChannel(_ ref: ChannelRef) async throws -> Channel
    func updateChannelMetadata(channelID: Int64, _ metadata: ChannelMetadata) async throws
    func channel(id: Int64) async throws -> Channel?
    func channel(ref: ChannelRef) async throws -> Channel?
    /// Subscribes a user; `created` is false when the subscription already existed (tags are then updated).
    func subscribe(userID: Int64, ref: ChannelRef, tags: [String]) async throws -> (channel: Channel, created: Bool)
    /// Returns false when there was no such subscription.
    func unsubscribe(userID: Int64, channelID: Int64) async throws -> Bool
    func subscriptions(userID: Int64, limit: Int) async throws -> [SubscribedChannel]
    /// Users subscribed to a channel.
    func subscribers(channelID: Int64) async throws -> [Int64]
    /// Channels with at least one subscriber (what the worker fetches).
    func subscribedChannels() async throws -> [Channel]

    // MARK: Posts
    /// Saves a batch for one channel in one transaction: an existing (channel, message_id) or the same
    /// content hash within `dedupWindow` of the post's date → skipped. When `outcome` is given, the
    /// channel's fetch state is advanced in the same transaction. All or nothing.
    func savePosts(_ posts: [Post], channelID: Int64, outcome: FetchOutcome?, dedupWindow: TimeInterval) async throws -> SaveResult
    /// Replaces the text of an existing post (edited Bot API channel posts); inserts it when missing.
    func upsertPost(_ post: Post, channelID: Int64) async throws
    /// Posts of the user's channels with `date` in `since..<until`, grouped by channel: the channels with the
    /// most posts first (at most `limits.maxChannels`), newest posts first (at most `limits.maxPostsPerChannel`).
    func posts(forUser userID: Int64, since: Date, until: Date, limits: WindowLimits) async throws -> [ChannelPosts]
    /// Posts of one channel in a window, newest first.
    func posts(channelID: Int64, since: Date, until: Date, limit: Int) async throws -> [Post]
    /// The highest message id stored for the user's channels in the window (cache key component).
    func newestPostID(forUser userID: Int64, since: Date) async throws -> Int64?
    /// Deletes posts with `date < olderThan`, at most `batchSize` rows per statement, until none are left.
    func deleteExpiredPosts(olderThan: Date, batchSize: Int) async throws -> Int

    // MARK: Fetch state and leases
    func fetchState(channelID: Int64) async throws -> FetchState?
    /// Claims up to `limit` subscribed channels that are due (`next_attempt_at` passed) and not leased
    /// (or whose lease expired) for `owner` until `now + lease`. PostgreSQL uses `FOR UPDATE SKIP LOCKED`.
    func claimDueChannels(owner: String, now: Date, lease: TimeInterval, limit: Int) async throws -> [Channel]
    /// Records a fetch outcome without posts (failure, or success with nothing new) and releases the lease.
    func recordFetch(channelID: Int64, owner: String, outcome: FetchOutcome) async throws
    /// Gives a claimed channel back untouched (shutdown).
    func releaseLease(channelID: Int64, owner: String) async throws

    // MARK: Deliveries
    /// Inserts the (user, kind, period) row; true only for the one caller that created it, or when a
    /// failed row's retry is due (`status = failed`, re-claimed by this owner).
    func claimDelivery(userID: Int64, kind: String, period: String, owner: String, now: Date) async throws -> Bool
    func finishDelivery(userID: Int64, kind: String, period: String, status: Delivery.Status, now: Date) async throws
    func delivery(userID: Int64, kind: String, period: String) async throws -> Delivery?

    // MARK: Digest cache
    func cachedDigest(key: String, now: Date) async throws -> CachedDigest?
    func storeDigest(_ digest: CachedDigest) async throws
    func deleteExpiredDigests(now: Date) async throws -> Int

    // MARK: Bot state
    func userSettings(userID: Int64) async throws -> UserSettings?
    func saveUserSettings(_ settings: UserSettings) async throws
    func usersWithDailyDigest() async throws -> [UserSettings]
    /// Small key/value state (e.g. the bot's `getUpdates` offset).
    func stateValue(_ key: String) async throws -> String?
    func setStateValue(_ key: String, _ value: String) async throws
}

/// Storage failures, with messages for people.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database was written by a newer Gazette.
    case schemaTooNew(found: Int, supported: Int)
    /// The database URL cannot be used.
    case invalidURL(String)
    /// Input refused before anything was written (names the field).
    case invalidInput(field: String, reason: String)
    case channelNotFound(Int64)
    /// The database could not be reached or failed; the message never contains credentials.
    case unavailable(String)

    public var description: String {
        switch self {
        case .schemaTooNew(let found, let supported):
            "the database schema is version \(found), newer than this gazette supports (\(supported)); upgrade gazette"
        case .invalidURL(let reason): "invalid database URL: \(reason)"
        case .invalidInput(let field, let reason): "invalid \(field): \(reason)"
        case .channelNotFound(let id): "no channel with id \(id)"
        case .unavailable(let reason): "database unavailable: \(reason)"
        }
    }
}
