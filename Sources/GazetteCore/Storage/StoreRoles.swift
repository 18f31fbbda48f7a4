import Foundation

// Everything Gazette keeps, as role protocols that both stores (SQLite and PostgreSQL) implement. A part of the
// program asks for the roles it uses (the worker: channels, posts and fetch state; the daily scheduler:
// deliveries and bot state), so a test double implements only those. `GazetteStore` is all of them.
//
// Every method is safe to call from many tasks at once. Errors are `StoreError`; input that is wrong (an invalid
// channel, a too-long tag) is rejected before anything is written.

/// Opening, schema and closing.
public protocol StoreLifecycle: Sendable {
    /// The newest schema version this binary knows.
    var supportedSchemaVersion: Int { get }
    /// Applies pending migrations; refuses a database whose schema is newer than this binary.
    func migrate() async throws
    /// The schema version recorded in the database (0 when none).
    func schemaVersion() async throws -> Int
    /// Cheap round trip used by readiness checks. Answers within a few seconds even when the server is gone.
    func ping() async throws
    /// Closes pools and files. The store is unusable afterwards.
    func shutdown() async
}

/// Channels and who subscribes to them.
public protocol ChannelStore: Sendable {
    /// Returns the channel, creating it when unknown.
    func upsertChannel(_ ref: ChannelRef) async throws -> Channel
    func updateChannelMetadata(channelID: Int64, _ metadata: ChannelMetadata) async throws
    func channel(id: Int64) async throws -> Channel?
    func channel(ref: ChannelRef) async throws -> Channel?
    /// Subscribes a user; `created` is false when the subscription already existed (tags are then updated).
    func subscribe(userID: Int64, ref: ChannelRef, tags: [String]) async throws -> (channel: Channel, created: Bool)
    /// Returns false when there was no such subscription.
    func unsubscribe(userID: Int64, channelID: Int64) async throws -> Bool
    /// One page of the user's subscriptions, oldest subscription first.
    func subscriptions(userID: Int64, limit: Int, offset: Int) async throws -> [SubscribedChannel]
    func subscriptionCount(userID: Int64) async throws -> Int
    /// The user's subscription to one channel, or nil.
    func subscription(userID: Int64, channelID: Int64) async throws -> SubscribedChannel?
    func subscription(userID: Int64, ref: ChannelRef) async throws -> SubscribedChannel?
    /// Ids of the user's channels, ascending (what a digest's cache key depends on).
    func subscribedChannelIDs(userID: Int64) async throws -> [Int64]
    /// Users subscribed to a channel, ascending.
    func subscribers(channelID: Int64) async throws -> [Int64]
    /// How many channels have at least one subscriber (what the worker fetches).
    func subscribedChannelCount() async throws -> Int
}

extension ChannelStore {
    public func subscriptions(userID: Int64, limit: Int) async throws -> [SubscribedChannel] {
        try await subscriptions(userID: userID, limit: limit, offset: 0)
    }
}

/// Posts, stored once per channel (SPEC §12.1).
public protocol PostStore: Sendable {
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
}

/// Per-channel fetch bookkeeping and the leases that keep two workers off one channel.
public protocol FetchStateStore: Sendable {
    func fetchState(channelID: Int64) async throws -> FetchState?
    /// Claims up to `limit` subscribed channels that are due (`next_attempt_at` passed) and not leased
    /// (or whose lease expired) for `owner` until `now + lease`. PostgreSQL uses `FOR UPDATE SKIP LOCKED`.
    func claimDueChannels(owner: String, now: Date, lease: TimeInterval, limit: Int) async throws -> [Channel]
    /// When the earliest lease held by another owner on a subscribed, due channel runs out (nil when there is
    /// none): the moment a worker whose pass found only such channels should look again.
    func nextForeignLeaseExpiry(owner: String, now: Date) async throws -> Date?
    /// Records a fetch outcome without posts (failure, or success with nothing new) and releases the lease.
    func recordFetch(channelID: Int64, owner: String, outcome: FetchOutcome) async throws
    /// Gives a claimed channel back untouched (shutdown).
    func releaseLease(channelID: Int64, owner: String) async throws
}

/// Scheduled deliveries, claimed so that each is sent once (SPEC §12.8).
public protocol DeliveryStore: Sendable {
    /// Inserts the (user, kind, period) row; true only for the one caller that created it, or when a
    /// failed or abandoned row is taken over by this owner.
    func claimDelivery(userID: Int64, kind: String, period: String, owner: String, now: Date) async throws -> Bool
    func finishDelivery(userID: Int64, kind: String, period: String, status: Delivery.Status, now: Date) async throws
    func delivery(userID: Int64, kind: String, period: String) async throws -> Delivery?
}

/// Rendered digests kept for reuse (SPEC §5).
public protocol DigestCacheStore: Sendable {
    func cachedDigest(key: String, now: Date) async throws -> CachedDigest?
    func storeDigest(_ digest: CachedDigest) async throws
    func deleteExpiredDigests(now: Date) async throws -> Int
}

/// The bot's per-user settings and small key/value state.
public protocol BotStateStore: Sendable {
    func userSettings(userID: Int64) async throws -> UserSettings?
    func saveUserSettings(_ settings: UserSettings) async throws
    func usersWithDailyDigest() async throws -> [UserSettings]
    /// Small key/value state (e.g. the bot's `getUpdates` offset).
    func stateValue(_ key: String) async throws -> String?
    func setStateValue(_ key: String, _ value: String) async throws
}

/// Reading channels through the Telegram user account: each channel's fetch method, and the lease that lets exactly
/// one process own the account (a TDLib database belongs to one process).
public protocol AccountStore: Sendable {
    /// The channel's `--via` choice.
    func setFetchVia(channelID: Int64, _ via: FetchVia) async throws
    /// What the worker found: the method in use, why, and the account's chat id once resolved (nil keeps it).
    func recordFetchMethod(channelID: Int64, method: FetchMethod, reason: String, accountChatID: Int64?) async throws
    /// Where joining the channel through its invite link stands; nil once the account is a member.
    func recordAccountJoin(channelID: Int64, _ join: AccountJoin?) async throws
    /// The routes of these channels (channels without a row are left out).
    func fetchRoutes(channelIDs: [Int64]) async throws -> [Int64: FetchRoute]
    /// Subscribed channels read through the account whose chat is known, by channel id: the chats the account's owner
    /// opens at every start (TDLib sends a channel's updates only for open chats).
    func accountChannels() async throws -> [AccountChannel]
    /// Takes or renews the account lease for `owner` until `now + lease`: true when `owner` holds it afterwards (it was
    /// free, expired — its owner died — or already `owner`'s).
    func claimAccount(owner: String, now: Date, lease: TimeInterval) async throws -> Bool
    /// Records the account's state; only the lease's owner can (false otherwise).
    func setAccountState(owner: String, _ state: AccountState, now: Date) async throws -> Bool
    /// Gives the lease up (shutdown); the state stays for others to read.
    func releaseAccount(owner: String) async throws
    /// The lease row, nil before any process owned the account.
    func accountLease() async throws -> AccountLease?
    /// `claimDueChannels` without the channels read through the account (an invite link, `--via account`, or `auto`
    /// with no public preview: `ResolvedRoute.resolve` in SQL): what a worker claims while another process owns the
    /// account, so that those channels are left to that process.
    func claimDueChannelsLeavingAccount(owner: String, now: Date, lease: TimeInterval, limit: Int) async throws -> [Channel]
    /// The subscribed, due channels read through the account (what `claimDueChannelsLeavingAccount` leaves), by id;
    /// nothing is claimed: `gazette fetch` names them when it leaves them to the process that owns the account.
    func dueAccountChannels(now: Date) async throws -> [Channel]
}

/// A reader's digest filters and language (issue 15).
public protocol ReaderStore: Sendable {
    /// The user's filters, by kind then value.
    func readerFilters(userID: Int64) async throws -> [ReaderFilter]
    /// Adds a filter; false when the user already had it. At most `ReaderFilter.maxPerUser` filters a user.
    func addReaderFilter(userID: Int64, _ filter: ReaderFilter) async throws -> Bool
    /// Removes a filter; false when the user had no such filter.
    func removeReaderFilter(userID: Int64, _ filter: ReaderFilter) async throws -> Bool
    /// `ru`, `en`, or nil: the digest follows the language of most posts.
    func readerLanguage(userID: Int64) async throws -> String?
    func setReaderLanguage(userID: Int64, _ language: String?) async throws
}

/// Stories a reader has been sent (the "not twice" rule).
public protocol DeliveredStoryStore: Sendable {
    /// The user's delivered stories with `deliveredAt >= since`.
    func deliveredStories(userID: Int64, since: Date) async throws -> [DeliveredStory]
    /// Records (or replaces, by user and story key) delivered stories in one transaction.
    func recordDeliveredStories(_ stories: [DeliveredStory]) async throws
    /// Deletes records delivered before `olderThan`; returns how many.
    func deleteDeliveredStories(olderThan: Date) async throws -> Int
}

/// Digests as delivered to readers (issue 18): the web reader's list and the Atom feed.
public protocol DigestArchiveStore: Sendable {
    /// Records a delivered digest and returns its id. The same (user, kind, period) again replaces the content and
    /// keeps the id, so a retried delivery stays one entry.
    func recordArchivedDigest(_ digest: ArchivedDigest) async throws -> Int64
    /// The user's most recent digests (newest `until` first), at most `limit`.
    func archivedDigests(userID: Int64, limit: Int) async throws -> [ArchivedDigest]
    /// One of the user's digests; nil when there is no such id or it belongs to another user.
    func archivedDigest(userID: Int64, id: Int64) async throws -> ArchivedDigest?
    /// Deletes digests created before `olderThan` (the post retention); returns how many.
    func deleteArchivedDigests(olderThan: Date) async throws -> Int
}

/// The hashes of readers' web tokens (`/u/<token>/…`).
public protocol WebTokenStore: Sendable {
    /// Sets (or replaces: rotation) the user's token hash.
    func setWebToken(_ record: WebTokenRecord) async throws
    /// The user whose token has this hash, or nil.
    func webTokenUser(tokenHash: String) async throws -> Int64?
    /// The user's token record, or nil when they have none.
    func webToken(userID: Int64) async throws -> WebTokenRecord?
}

/// Pictures fetched for digests (issue 16), and each reader's choice to see them.
public protocol ImageCacheStore: Sendable {
    /// The entry for `url` (a picture or a remembered failure) unless it expired by `now`.
    func cachedImage(url: String, now: Date) async throws -> CachedImage?
    /// Inserts or replaces the entry for the image's URL; an entry already kept longer keeps its later expiry.
    func storeImage(_ image: CachedImage) async throws
    /// Deletes entries expired by `now`, then the oldest fetched until at most `maxBytes` of pictures are left; returns
    /// how many entries went.
    func trimImageCache(now: Date, maxBytes: Int64) async throws -> Int
    /// Entries and picture bytes in the cache.
    func imageCacheSize() async throws -> CacheSize
    /// The reader's choice: true (pictures), false (none) or nil (the process's default, `--images`).
    func readerImages(userID: Int64) async throws -> Bool?
    func setReaderImages(userID: Int64, _ on: Bool?) async throws
}

/// Full-text search over the posts of a reader's channels (issue 27). The index follows the posts: it is written in
/// the same transaction as `savePosts` and `upsertPost`, and a deleted post (retention, a deleted channel) leaves it in
/// the same transaction too.
public protocol SearchStore: Sendable {
    /// Posts of the user's channels (muted ones included: filters shape digests, not searches) that match `query`
    /// within `scope`: the best match first, a newer post first among equal matches, one page of `limit` from
    /// `offset`. A query of valid terms that matches nothing is an empty page, never an error.
    func searchPosts(userID: Int64, query: SearchQuery, scope: SearchScope, limit: Int, offset: Int) async throws -> [SearchHit]
}

/// Pictures of the user account a digest needs: requested by any process, downloaded by the one that owns the account
/// (which then keeps them in the image cache and removes the request).
public protocol ImageRequestStore: Sendable {
    /// Asks for `url` (a `tdlib:` picture); asked again, it keeps the first request time and the later `keepUntil`.
    func requestImage(url: String, keepUntil: Date, now: Date) async throws
    /// The oldest requests first.
    func imageRequests(limit: Int) async throws -> [ImageRequest]
    func removeImageRequest(url: String) async throws
}

/// Summaries kept for reuse across digests and processes (issue 28), bounded in size.
public protocol SummaryCacheStore: Sendable {
    /// The entries among `keys` that have not expired by `now`, by key (one round trip however many keys).
    func cachedSummaries(keys: [String], now: Date) async throws -> [String: CachedSummary]
    /// Inserts or replaces entries by key, all in one transaction.
    func storeSummaries(_ entries: [CachedSummary]) async throws
    /// Deletes entries expired by `now`, then the oldest made until at most `maxBytes` of summaries are left; returns how
    /// many entries went.
    func trimSummaryCache(now: Date, maxBytes: Int64) async throws -> Int
    /// Entries and summary bytes in the cache.
    func summaryCacheSize() async throws -> CacheSize
}

/// Every role: what `StoreFactory` opens and a process hands to its parts.
public typealias GazetteStore = StoreLifecycle & ChannelStore & PostStore & FetchStateStore & DeliveryStore
    & DigestCacheStore & BotStateStore & AccountStore & ReaderStore & DeliveredStoryStore & DigestArchiveStore & WebTokenStore
    & ImageCacheStore & SearchStore & ImageRequestStore & SummaryCacheStore

extension StoreLifecycle {
    /// Brings the schema up to date, or with `migrate == false` only checks that it is: a database behind this
    /// binary is `StoreError.schemaBehind` (run `gazette migrate`), one ahead is `StoreError.schemaTooNew`.
    public func prepareSchema(migrate: Bool) async throws {
        if migrate {
            try await self.migrate()
            return
        }
        let found = try await schemaVersion()
        if found < supportedSchemaVersion { throw StoreError.schemaBehind(found: found, supported: supportedSchemaVersion) }
        if found > supportedSchemaVersion { throw StoreError.schemaTooNew(found: found, supported: supportedSchemaVersion) }
    }
}
