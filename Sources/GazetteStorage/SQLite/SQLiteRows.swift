import Foundation
import GazetteCore
import GRDB

/// Row → domain value conversions for the SQLite store. Column names follow the `SELECT` lists below.
enum SQLiteRows {
    static let channelColumns = "c.id, c.kind, c.key, c.title, c.description, c.subscribers, c.photo_url, c.created_at"
    static let postColumns = """
        p.id, c.key AS channel_key, p.message_id, p.text, p.html, p.date, p.views, p.url, p.media, \
        p.forwarded_from, p.link_preview_title, p.fetched_at
        """

    static func channel(_ row: Row) throws -> Channel {
        let id: Int64 = row["id"]
        let kindText: String = row["kind"]
        let key: String = row["key"]
        guard let kind = ChannelKind(rawValue: kindText) else {
            throw StoreError.unavailable("stored channel \(id) has an unknown kind '\(kindText)'")
        }
        let ref: ChannelRef
        do {
            ref = try ChannelRef(kind: kind, key: key)
        } catch {
            throw StoreError.unavailable("stored channel \(id) has an invalid key: \(error.reason)")
        }
        let subscribers: Int64? = row["subscribers"]
        return Channel(
            id: id, ref: ref,
            metadata: ChannelMetadata(title: row["title"], description: row["description"],
                                      subscribers: subscribers.map { Int($0) }, photoURL: row["photo_url"]),
            createdAt: Date(unixSeconds: row["created_at"]))
    }

    static func post(_ row: Row) throws -> Post {
        let views: Int64? = row["views"]
        let fetched: Double? = row["fetched_at"]
        return Post(
            channel: row["channel_key"], messageID: row["message_id"], text: row["text"], html: row["html"],
            date: Date(unixSeconds: row["date"]), views: views.map { Int($0) }, url: row["url"],
            media: try JSONColumn.decodeMedia(row["media"]), forwardedFrom: row["forwarded_from"],
            linkPreviewTitle: row["link_preview_title"], fetchedAt: fetched.map { Date(unixSeconds: $0) })
    }

    static func fetchState(_ row: Row) -> FetchState {
        let failures: Int64 = row["consecutive_failures"]
        return FetchState(
            channelID: row["channel_id"], lastMessageID: row["last_message_id"],
            lastSuccessAt: date(row["last_success_at"]), lastError: row["last_error"],
            consecutiveFailures: Int(failures), nextAttemptAt: date(row["next_attempt_at"]),
            leaseOwner: row["lease_owner"], leaseUntil: date(row["lease_until"]),
            etag: row["etag"], lastModified: row["last_modified"])
    }

    static func delivery(_ row: Row) throws -> Delivery {
        let statusText: String = row["status"]
        guard let status = Delivery.Status(rawValue: statusText) else {
            throw StoreError.unavailable("stored delivery has an unknown status '\(statusText)'")
        }
        let attempts: Int64 = row["attempts"]
        return Delivery(userID: row["user_id"], kind: row["kind"], period: row["period"], status: status,
                        attempts: Int(attempts), claimedBy: row["claimed_by"], updatedAt: Date(unixSeconds: row["updated_at"]))
    }

    static func settings(_ row: Row) throws -> UserSettings {
        let formatText: String = row["format"]
        guard let format = UserSettings.Format(rawValue: formatText) else {
            throw StoreError.unavailable("stored settings have an unknown format '\(formatText)'")
        }
        let hour: Int64 = row["daily_hour"]
        return UserSettings(userID: row["user_id"], chatID: row["chat_id"], dailyDigest: row["daily_digest"],
                            dailyHour: Int(hour), timeZone: row["time_zone"], format: format)
    }

    static func date(_ value: Double?) -> Date? { value.map { Date(unixSeconds: $0) } }
}
