import Foundation
import GazetteCore
import PostgresNIO

/// Row → domain value conversions for the PostgreSQL store; column names follow the `SELECT` lists below.
enum PostgresRows {
    static let channelColumns = "c.id, c.kind, c.key, c.title, c.description, c.subscribers, c.photo_url, c.created_at"
    static let postColumns = """
        p.id, c.key AS channel_key, p.message_id, p.text, p.html, p.date, p.views, p.url, p.media, \
        p.forwarded_from, p.link_preview_title, p.fetched_at
        """

    static func channel(_ row: PostgresRow) throws -> GazetteCore.Channel {
        let r = row.makeRandomAccess()
        let id = try r["id"].decode(Int64.self)
        let kindText = try r["kind"].decode(String.self)
        let key = try r["key"].decode(String.self)
        guard let kind = ChannelKind(rawValue: kindText) else {
            throw StoreError.unavailable("stored channel \(id) has an unknown kind '\(kindText)'")
        }
        let ref: ChannelRef
        do {
            ref = try ChannelRef(kind: kind, key: key)
        } catch {
            throw StoreError.unavailable("stored channel \(id) has an invalid key: \(error.reason)")
        }
        return GazetteCore.Channel(
            id: id, ref: ref,
            metadata: ChannelMetadata(title: try r["title"].decode(String?.self),
                                      description: try r["description"].decode(String?.self),
                                      subscribers: try r["subscribers"].decode(Int?.self),
                                      photoURL: try r["photo_url"].decode(String?.self)),
            createdAt: try r["created_at"].decode(Date.self))
    }

    static func post(_ row: PostgresRow) throws -> Post {
        let r = row.makeRandomAccess()
        return Post(
            channel: try r["channel_key"].decode(String.self), messageID: try r["message_id"].decode(Int64.self),
            text: try r["text"].decode(String.self), html: try r["html"].decode(String?.self),
            date: try r["date"].decode(Date.self), views: try r["views"].decode(Int?.self), url: try r["url"].decode(String?.self),
            media: try JSONColumn.decodeMedia(try r["media"].decode(String?.self)),
            forwardedFrom: try r["forwarded_from"].decode(String?.self),
            linkPreviewTitle: try r["link_preview_title"].decode(String?.self),
            fetchedAt: try r["fetched_at"].decode(Date?.self))
    }

    static func fetchState(_ row: PostgresRow) throws -> FetchState {
        let r = row.makeRandomAccess()
        return FetchState(
            channelID: try r["channel_id"].decode(Int64.self), lastMessageID: try r["last_message_id"].decode(Int64?.self),
            lastSuccessAt: try r["last_success_at"].decode(Date?.self), lastError: try r["last_error"].decode(String?.self),
            consecutiveFailures: try r["consecutive_failures"].decode(Int.self),
            nextAttemptAt: try r["next_attempt_at"].decode(Date?.self), leaseOwner: try r["lease_owner"].decode(String?.self),
            leaseUntil: try r["lease_until"].decode(Date?.self), etag: try r["etag"].decode(String?.self),
            lastModified: try r["last_modified"].decode(String?.self))
    }

    static func delivery(_ row: PostgresRow) throws -> Delivery {
        let r = row.makeRandomAccess()
        let statusText = try r["status"].decode(String.self)
        guard let status = Delivery.Status(rawValue: statusText) else {
            throw StoreError.unavailable("stored delivery has an unknown status '\(statusText)'")
        }
        return Delivery(userID: try r["user_id"].decode(Int64.self), kind: try r["kind"].decode(String.self),
                        period: try r["period"].decode(String.self), status: status, attempts: try r["attempts"].decode(Int.self),
                        claimedBy: try r["claimed_by"].decode(String.self), updatedAt: try r["updated_at"].decode(Date.self))
    }

    static func settings(_ row: PostgresRow) throws -> UserSettings {
        let r = row.makeRandomAccess()
        let formatText = try r["format"].decode(String.self)
        guard let format = UserSettings.Format(rawValue: formatText) else {
            throw StoreError.unavailable("stored settings have an unknown format '\(formatText)'")
        }
        return UserSettings(userID: try r["user_id"].decode(Int64.self), chatID: try r["chat_id"].decode(Int64?.self),
                            dailyDigest: try r["daily_digest"].decode(Bool.self), dailyHour: try r["daily_hour"].decode(Int.self),
                            timeZone: try r["time_zone"].decode(String.self), format: format)
    }

    /// Collects all rows of a result through `transform`.
    static func all<T>(_ rows: PostgresRowSequence, _ transform: (PostgresRow) throws -> T) async throws -> [T] {
        var out: [T] = []
        for try await row in rows { out.append(try transform(row)) }
        return out
    }

    static func first<T>(_ rows: PostgresRowSequence, _ transform: (PostgresRow) throws -> T) async throws -> T? {
        var found: T?
        // Drain the sequence so the connection is handed back clean.
        for try await row in rows where found == nil { found = try transform(row) }
        return found
    }
}
