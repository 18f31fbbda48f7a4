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
        guard let channel = try channel(db, ref: ref) else {
            throw StoreError.unavailable("the channel \(ref.key) vanished while being created")
        }
        try db.execute(sql: "INSERT INTO fetch_state (channel_id) VALUES (?) ON CONFLICT (channel_id) DO NOTHING",
                       arguments: [channel.id])
        return channel
    }

    public func updateChannelMetadata(channelID: Int64, _ metadata: ChannelMetadata) async throws {
        let m = InputValidation.metadata(metadata)
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
            try Row.fetchOne(db, sql: "SELECT \(StoredColumns.channel) FROM channels c WHERE c.id = ?", arguments: [id])?
                .decoded(RowDecoding.channel)
        }
    }

    public func channel(ref: ChannelRef) async throws -> Channel? {
        let ref = try InputValidation.channel(ref)
        return try await read("channel") { db in try Self.channel(db, ref: ref) }
    }

    static func channel(_ db: Database, ref: ChannelRef) throws -> Channel? {
        try Row.fetchOne(db, sql: "SELECT \(StoredColumns.channel) FROM channels c WHERE c.kind = ? AND c.key = ?",
                         arguments: [ref.kind.rawValue, ref.key])?.decoded(RowDecoding.channel)
    }

    public func subscribe(userID: Int64, ref: ChannelRef, tags: [String]) async throws -> (channel: Channel, created: Bool) {
        let input = try InputValidation.subscription(userID: userID, ref: ref, tags: tags)
        let result: SubscribeResult = try await write("subscribe") { db in
            let channel = try Self.upsertChannel(db, input.ref)
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM subscriptions WHERE user_id = ? AND channel_id = ?",
                                           arguments: [userID, channel.id]) ?? false
            if exists {
                try db.execute(sql: "UPDATE subscriptions SET tags = ? WHERE user_id = ? AND channel_id = ?",
                               arguments: [input.tagsJSON, userID, channel.id])
            } else {
                try db.execute(sql: "INSERT INTO subscriptions (user_id, channel_id, tags, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [userID, channel.id, input.tagsJSON, Date().unixSeconds])
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

    public func subscriptions(userID: Int64, limit: Int, offset: Int) async throws -> [SubscribedChannel] {
        try InputValidation.page(userID: userID, limit: limit, offset: offset)
        return try await read("subscriptions") { db in
            try Row.fetchAll(db, sql: """
                SELECT \(StoredColumns.subscribedChannel) \(StoredColumns.subscribedChannelJoins)
                WHERE s.user_id = ? ORDER BY s.created_at, c.id LIMIT ? OFFSET ?
                """, arguments: [userID, limit, offset]).map { try $0.decoded(RowDecoding.subscribedChannel) }
        }
    }

    public func subscriptionCount(userID: Int64) async throws -> Int {
        try InputValidation.userID(userID)
        return try await read("subscription count") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM subscriptions WHERE user_id = ?", arguments: [userID]) ?? 0
        }
    }

    public func subscription(userID: Int64, channelID: Int64) async throws -> SubscribedChannel? {
        try InputValidation.userID(userID)
        return try await read("subscription") { db in
            try Row.fetchOne(db, sql: """
                SELECT \(StoredColumns.subscribedChannel) \(StoredColumns.subscribedChannelJoins)
                WHERE s.user_id = ? AND s.channel_id = ?
                """, arguments: [userID, channelID])?.decoded(RowDecoding.subscribedChannel)
        }
    }

    public func subscription(userID: Int64, ref: ChannelRef) async throws -> SubscribedChannel? {
        try InputValidation.userID(userID)
        let ref = try InputValidation.channel(ref)
        return try await read("subscription") { db in
            try Row.fetchOne(db, sql: """
                SELECT \(StoredColumns.subscribedChannel) \(StoredColumns.subscribedChannelJoins)
                WHERE s.user_id = ? AND c.kind = ? AND c.key = ?
                """, arguments: [userID, ref.kind.rawValue, ref.key])?.decoded(RowDecoding.subscribedChannel)
        }
    }

    public func subscribedChannelIDs(userID: Int64) async throws -> [Int64] {
        try InputValidation.userID(userID)
        return try await read("subscribed channel ids") { db in
            try Int64.fetchAll(db, sql: "SELECT channel_id FROM subscriptions WHERE user_id = ? ORDER BY channel_id", arguments: [userID])
        }
    }

    public func subscribers(channelID: Int64) async throws -> [Int64] {
        try await read("subscribers") { db in
            try Int64.fetchAll(db, sql: "SELECT user_id FROM subscriptions WHERE channel_id = ? ORDER BY user_id", arguments: [channelID])
        }
    }

    public func subscribedChannelCount() async throws -> Int {
        try await read("subscribed channel count") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT channel_id) FROM subscriptions") ?? 0
        }
    }
}

/// A tuple is not `Sendable`-checked across the GRDB closure boundary; this is.
struct SubscribeResult: Sendable {
    var channel: Channel
    var created: Bool
}
