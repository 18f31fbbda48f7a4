import Foundation
import GazetteCore

/// A result row of either database, read by column name. Each store adapts its row type (GRDB's `Row`,
/// PostgresNIO's random-access row); the conversions to domain values below exist once for both.
protocol StoredRow {
    func int64(_ column: String) throws -> Int64?
    func string(_ column: String) throws -> String?
    func date(_ column: String) throws -> Date?
    func bool(_ column: String) throws -> Bool?
    func bytes(_ column: String) throws -> Data?
    func double(_ column: String) throws -> Double?
}

extension StoredRow {
    func required<T>(_ value: T?, _ column: String) throws(StoreError) -> T {
        guard let value else { throw .unavailable("the stored column \(column) is unexpectedly NULL") }
        return value
    }

    func int(_ column: String) throws -> Int? { try int64(column).map { Int($0) } }
}

/// The column lists of the `SELECT`s whose rows `RowDecoding` reads (both stores use the same names).
enum StoredColumns {
    static let channel = "c.id, c.kind, c.key, c.title, c.description, c.subscribers, c.photo_url, c.created_at"
    static let post = """
        p.id, c.key AS channel_key, p.message_id, p.text, p.html, p.date, p.views, p.url, p.media, \
        p.forwarded_from, p.link_preview_title, p.fetched_at, p.forwards, p.edited_at, p.images
        """
    /// A subscription with its channel, post count and last fetch, from `subscriptions s JOIN channels c`.
    static let subscribedChannel = """
        \(channel), s.user_id, s.tags, s.created_at AS subscribed_at,
        (SELECT COUNT(*) FROM posts p WHERE p.channel_id = c.id) AS post_count, f.last_success_at, f.last_error,
        f.account_join
        """
    /// A search hit: the channel (first, so `id` is the channel's), the post without its own id, and `score`.
    static let searchHit = """
        \(channel), c.key AS channel_key, p.message_id, p.text, p.html, p.date, p.views, p.url, p.media, \
        p.forwarded_from, p.link_preview_title, p.fetched_at, p.forwards, p.edited_at, p.images
        """
    static let subscribedChannelJoins = """
        FROM subscriptions s JOIN channels c ON c.id = s.channel_id LEFT JOIN fetch_state f ON f.channel_id = c.id
        """
}

/// Row → domain value conversions shared by both stores.
enum RowDecoding {
    static func channel(_ row: some StoredRow) throws -> Channel {
        let id = try row.required(row.int64("id"), "channels.id")
        let kindText = try row.required(row.string("kind"), "channels.kind")
        let key = try row.required(row.string("key"), "channels.key")
        guard let kind = ChannelKind(rawValue: kindText) else {
            throw StoreError.unavailable("stored channel \(id) has an unknown kind '\(kindText)'")
        }
        let ref: ChannelRef
        do {
            ref = try ChannelRef(kind: kind, key: key)
        } catch {
            throw StoreError.unavailable("stored channel \(id) has an invalid key: \(error.reason)")
        }
        return Channel(
            id: id, ref: ref,
            metadata: ChannelMetadata(title: try row.string("title"), description: try row.string("description"),
                                      subscribers: try row.int("subscribers"), photoURL: try row.string("photo_url")),
            createdAt: try row.required(row.date("created_at"), "channels.created_at"))
    }

    static func post(_ row: some StoredRow) throws -> Post {
        Post(channel: try row.required(row.string("channel_key"), "channels.key"),
             messageID: try row.required(row.int64("message_id"), "posts.message_id"),
             text: try row.required(row.string("text"), "posts.text"), html: try row.string("html"),
             date: try row.required(row.date("date"), "posts.date"), views: try row.int("views"), url: try row.string("url"),
             media: try JSONColumn.decodeMedia(row.string("media")), forwardedFrom: try row.string("forwarded_from"),
             linkPreviewTitle: try row.string("link_preview_title"), fetchedAt: try row.date("fetched_at"),
             forwards: try row.int("forwards"), editedAt: try row.date("edited_at"),
             images: try JSONColumn.decodeImages(row.string("images")))
    }

    static func searchHit(_ row: some StoredRow) throws -> SearchHit {
        SearchHit(channel: try channel(row), post: try post(row), score: try row.double("score") ?? 0)
    }

    static func subscribedChannel(_ row: some StoredRow) throws -> SubscribedChannel {
        let channel = try channel(row)
        return SubscribedChannel(
            channel: channel,
            subscription: Subscription(userID: try row.required(row.int64("user_id"), "subscriptions.user_id"),
                                       channelID: channel.id, tags: try JSONColumn.decodeTags(row.string("tags")),
                                       createdAt: try row.required(row.date("subscribed_at"), "subscriptions.created_at")),
            postCount: try row.int("post_count") ?? 0,
            lastSuccessAt: try row.date("last_success_at"), lastError: try row.string("last_error"),
            accountJoin: try row.string("account_join").flatMap(AccountJoin.init(rawValue:)))
    }

    static func fetchState(_ row: some StoredRow) throws -> FetchState {
        FetchState(channelID: try row.required(row.int64("channel_id"), "fetch_state.channel_id"),
                   lastMessageID: try row.int64("last_message_id"), lastSuccessAt: try row.date("last_success_at"),
                   lastError: try row.string("last_error"), consecutiveFailures: try row.int("consecutive_failures") ?? 0,
                   nextAttemptAt: try row.date("next_attempt_at"), leaseOwner: try row.string("lease_owner"),
                   leaseUntil: try row.date("lease_until"), etag: try row.string("etag"),
                   lastModified: try row.string("last_modified"))
    }

    static func delivery(_ row: some StoredRow) throws -> Delivery {
        let statusText = try row.required(row.string("status"), "deliveries.status")
        guard let status = Delivery.Status(rawValue: statusText) else {
            throw StoreError.unavailable("stored delivery has an unknown status '\(statusText)'")
        }
        return Delivery(userID: try row.required(row.int64("user_id"), "deliveries.user_id"),
                        kind: try row.required(row.string("kind"), "deliveries.kind"),
                        period: try row.required(row.string("period"), "deliveries.period"), status: status,
                        attempts: try row.int("attempts") ?? 1,
                        claimedBy: try row.required(row.string("claimed_by"), "deliveries.claimed_by"),
                        updatedAt: try row.required(row.date("updated_at"), "deliveries.updated_at"))
    }

    static func settings(_ row: some StoredRow) throws -> UserSettings {
        let formatText = try row.required(row.string("format"), "user_settings.format")
        guard let format = UserSettings.Format(rawValue: formatText) else {
            throw StoreError.unavailable("stored settings have an unknown format '\(formatText)'")
        }
        return UserSettings(userID: try row.required(row.int64("user_id"), "user_settings.user_id"),
                            chatID: try row.int64("chat_id"), dailyDigest: try row.bool("daily_digest") ?? false,
                            dailyHour: try row.int("daily_hour") ?? 20,
                            timeZone: try row.required(row.string("time_zone"), "user_settings.time_zone"), format: format,
                            destinations: DigestDestination.stored(try row.string("destinations") ?? "telegram,feed"),
                            email: try row.string("email"))
    }

    static func cachedDigest(_ row: some StoredRow) throws -> CachedDigest {
        CachedDigest(key: try row.required(row.string("key"), "digest_cache.key"),
                     pdf: try row.required(row.bytes("pdf"), "digest_cache.pdf"), pages: try row.int("pages") ?? 0,
                     channels: try row.int("channels") ?? 0, posts: try row.int("posts") ?? 0,
                     createdAt: try row.required(row.date("created_at"), "digest_cache.created_at"),
                     expiresAt: try row.required(row.date("expires_at"), "digest_cache.expires_at"))
    }

    static func cachedSummary(_ row: some StoredRow) throws -> CachedSummary {
        CachedSummary(key: try row.required(row.string("key"), "summary_cache.key"),
                      summarizer: try row.required(row.string("summarizer"), "summary_cache.summarizer"),
                      summary: try row.required(row.string("summary"), "summary_cache.summary"),
                      llmCalls: try row.int("llm_calls") ?? 0, failures: try row.int("failures") ?? 0, retryAt: try row.date("retry_at"),
                      createdAt: try row.required(row.date("created_at"), "summary_cache.created_at"),
                      expiresAt: try row.required(row.date("expires_at"), "summary_cache.expires_at"))
    }

    static func cachedImage(_ row: some StoredRow) throws -> CachedImage {
        let type = try row.string("content_type")
        return CachedImage(url: try row.required(row.string("url"), "image_cache.url"),
                           format: type.flatMap(ImageFormat.init(contentType:)),
                           bytes: try row.bytes("bytes") ?? Data(), width: try row.int("width") ?? 0, height: try row.int("height") ?? 0,
                           skipReason: try row.string("skip_reason"),
                           fetchedAt: try row.required(row.date("fetched_at"), "image_cache.fetched_at"),
                           expiresAt: try row.required(row.date("expires_at"), "image_cache.expires_at"))
    }
}
