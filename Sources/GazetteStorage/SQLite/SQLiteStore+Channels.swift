import Foundation
import GazetteCore
import GRDB

extension SQLiteStore {
    public func upsertChannel(_ ref: ChannelRef) async throws -> Channel {
        let ref = try InputValidation.channel(ref)
        return try await write("upsert channel") { db in try Self.upsertChannel(db, ref) }
    }

    static func upsertChannel(_ db: Database, _ ref: ChannelRef) throws -> Channel {
        let now = Date().unixSeconds
        try db.execute(sql: """
            INSERT INTO channels (kind, key, created_at, updated_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (kind, key) DO NOTHING
            """, arguments: [ref.kind.rawValue, ref.key, now, now])
        guard let row = try Row.fetchOne(db, sql: "SELECT \(SQLiteRows.channelColumns) FROM channels c WHERE c.kind = ? AND c.key = ?",
                                         arguments: [ref.kind.rawValue, ref.key]) else {
            throw StoreError.unavailable("the channel \(ref.key) vanished while being created")
        }
        let channel = try SQLiteRows.channel(row)
        try db.execute(sql: "INSERT INTO fetch_state (channel_id) VALUES (?) ON CONFLICT (channel_id) DO NOTHING",
                       arguments: [channel.id])
        return channel
    }

    public func updateChannelMetadata(channelID: Int64, _ metadata: ChannelMetadata) async throws {
        let m = ChannelMetadata(title: InputValidation.clean(metadata.title), description: InputValidation.clean(metadata.description),
                                subscribers: metadata.subscribers, photoURL: InputValidation.clean(metadata.photoURL))
        try await write("update channel metadata") { db in
            // Unknown (nil) fields keep what was known before.
            try db.execute(sql: """
                UPDATE channels SET title = COALESCE(?, title), description = COALESCE(?, description),
                    subscribers = COALESCE(?, subscribers), photo_url = COALESCE(?, photo_url), updated_at = ?
                WHERE id = ?
                """, arguments: [m.title, m.description, m.subscribers, m.photoURL, Date().unixSeconds, channelID])
            guard db.changesCount == 1 else { throw StoreError.channelNotFound(channelID) }
        }
    }

    public func channel(id: Int64) async throws -> Channel? {
        try await read("channel") { db in
            try Row.fetchOne(db, sql: "SELECT \(SQLiteRows.channelColumns) FROM channels c WHERE c.id = ?", arguments: [id])
                .map(SQLiteRows.channel)
        }
    }

    public func channel(ref: ChannelRef) async throws -> Channel? {
        let ref = try InputValidation.channel(ref)
        return try await read("channel") { db in
            try Row.fetchOne(db, sql: "SELECT \(SQLiteRows.channelColumns) FROM channels c WHERE c.kind = ? AND c.key = ?",
                             arguments: [ref.kind.rawValue, ref.key]).map(SQLiteRows.channel)
        }
    }

    public func subscribe(userID: Int64, ref: ChannelRef, tags: [String]) async throws -> (channel: Channel, created: Bool) {
        try InputValidation.userID(userID)
        let ref = try InputValidation.channel(ref)
        let tagsJSON = try JSONColumn.tags(try InputValidation.tags(tags))
        let result: SubscribeResult = try await write("subscribe") { db in
            let channel = try Self.upsertChannel(db, ref)
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM subscriptions WHERE user_id = ? AND channel_id = ?",
                                           arguments: [userID, channel.id]) ?? false
            if exists {
                try db.execute(sql: "UPDATE subscriptions SET tags = ? WHERE user_id = ? AND channel_id = ?",
                               arguments: [tagsJSON, userID, channel.id])
            } else {
                try db.execute(sql: "INSERT INTO subscriptions (user_id, channel_id, tags, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [userID, channel.id, tagsJSON, Date().unixSeconds])
            }
            return SubscribeResult(channel: channel, created: !exists)
        }
        return (result.channel, result.created)
    }

    public func unsubscribe(userID: Int64, channelID: Int64) async throws -> Bool {
        try InputValidation.userID(userID)
        return try await write("unsubscribe") { db in
            try db.execute(sql: "DELETE FROM subscriptions WHERE user_id = ? AND channel_id = ?", arguments: [userID, channelID])
            return db.changesCount > 0
        }
    }

    public func subscriptions(userID: Int64, limit: Int) async throws -> [SubscribedChannel] {
        try InputValidation.userID(userID)
        try InputValidation.positive(limit, field: "limit")
        return try await read("subscriptions") { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(SQLiteRows.channelColumns), s.user_id, s.tags, s.created_at AS subscribed_at,
                    (SELECT COUNT(*) FROM posts p WHERE p.channel_id = c.id) AS post_count,
                    f.last_success_at, f.last_error
                FROM subscriptions s
                JOIN channels c ON c.id = s.channel_id
                LEFT JOIN fetch_state f ON f.channel_id = c.id
                WHERE s.user_id = ?
                ORDER BY s.created_at, c.id
                LIMIT ?
                """, arguments: [userID, limit])
            return try rows.map { row in
                let channel = try SQLiteRows.channel(row)
                let count: Int64 = row["post_count"]
                return SubscribedChannel(
                    channel: channel,
                    subscription: Subscription(userID: row["user_id"], channelID: channel.id,
                                               tags: try JSONColumn.decodeTags(row["tags"]),
                                               createdAt: Date(unixSeconds: row["subscribed_at"])),
                    postCount: Int(count), lastSuccessAt: SQLiteRows.date(row["last_success_at"]), lastError: row["last_error"])
            }
        }
    }

    public func subscribers(channelID: Int64) async throws -> [Int64] {
        try await read("subscribers") { db in
            try Int64.fetchAll(db, sql: "SELECT user_id FROM subscriptions WHERE channel_id = ? ORDER BY user_id", arguments: [channelID])
        }
    }

    public func subscribedChannels() async throws -> [Channel] {
        try await read("subscribed channels") { db in
            try Row.fetchAll(db, sql: """
                SELECT \(SQLiteRows.channelColumns) FROM channels c
                WHERE EXISTS (SELECT 1 FROM subscriptions s WHERE s.channel_id = c.id) ORDER BY c.id
                """).map(SQLiteRows.channel)
        }
    }
}

/// A tuple is not `Sendable`-checked across the GRDB closure boundary; this is.
struct SubscribeResult: Sendable {
    var channel: Channel
    var created: Bool
}
