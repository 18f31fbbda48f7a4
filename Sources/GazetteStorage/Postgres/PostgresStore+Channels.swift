import Foundation
import GazetteCore
import PostgresNIO

extension PostgresStore {
    public func upsertChannel(_ ref: ChannelRef) async throws -> GazetteCore.Channel {
        let ref = try InputValidation.channel(ref)
        return try await transaction("upsert channel") { conn in try await self.upsertChannel(conn, ref) }
    }

    func upsertChannel(_ conn: PostgresConnection, _ ref: ChannelRef) async throws -> GazetteCore.Channel {
        let now = Date()
        // DO UPDATE (a no-op) instead of DO NOTHING so the existing row is returned too.
        let rows = try await conn.query("""
            INSERT INTO channels AS c (kind, key, created_at, updated_at) VALUES (\(ref.kind.rawValue), \(ref.key), \(now), \(now))
            ON CONFLICT (kind, key) DO UPDATE SET kind = EXCLUDED.kind
            RETURNING \(unescaped: StoredColumns.channel)
            """, logger: logger)
        guard let channel = try await rows.firstDecoded(RowDecoding.channel) else {
            throw StoreError.unavailable("the channel \(ref.key) vanished while being created")
        }
        try await conn.query("INSERT INTO fetch_state (channel_id) VALUES (\(channel.id)) ON CONFLICT (channel_id) DO NOTHING",
                             logger: logger)
        return channel
    }

    public func updateChannelMetadata(channelID: Int64, _ metadata: ChannelMetadata) async throws {
        let m = InputValidation.metadata(metadata)
        try await write("update channel metadata") { conn in
            let rows = try await conn.query("""
                UPDATE channels SET title = COALESCE(\(m.title), title), description = COALESCE(\(m.description), description),
                    subscribers = COALESCE(\(m.subscribers), subscribers), photo_url = COALESCE(\(m.photoURL), photo_url),
                    updated_at = now()
                WHERE id = \(channelID) RETURNING id
                """, logger: self.logger)
            guard try await rows.first({ _ in true }) == true else { throw StoreError.channelNotFound(channelID) }
        }
    }

    public func channel(id: Int64) async throws -> GazetteCore.Channel? {
        try await read("channel") { conn in
            try await conn.query("SELECT \(unescaped: StoredColumns.channel) FROM channels c WHERE c.id = \(id)", logger: self.logger)
                .firstDecoded(RowDecoding.channel)
        }
    }

    public func channel(ref: ChannelRef) async throws -> GazetteCore.Channel? {
        let ref = try InputValidation.channel(ref)
        return try await read("channel") { conn in
            try await conn.query("""
                SELECT \(unescaped: StoredColumns.channel) FROM channels c WHERE c.kind = \(ref.kind.rawValue) AND c.key = \(ref.key)
                """, logger: self.logger).firstDecoded(RowDecoding.channel)
        }
    }

    public func subscribe(userID: Int64, ref: ChannelRef, tags: [String]) async throws -> (channel: GazetteCore.Channel, created: Bool) {
        let input = try InputValidation.subscription(userID: userID, ref: ref, tags: tags)
        let result: SubscribeResult = try await transaction("subscribe") { conn in
            let channel = try await self.upsertChannel(conn, input.ref)
            // xmax = 0 only on a freshly inserted row version.
            let rows = try await conn.query("""
                INSERT INTO subscriptions (user_id, channel_id, tags, created_at) VALUES (\(userID), \(channel.id), \(input.tagsJSON), now())
                ON CONFLICT (user_id, channel_id) DO UPDATE SET tags = EXCLUDED.tags
                RETURNING (xmax = 0) AS inserted
                """, logger: self.logger)
            let created = try await rows.first { try $0.decode(Bool.self) } ?? false
            return SubscribeResult(channel: channel, created: created)
        }
        return (result.channel, result.created)
    }

    public func unsubscribe(userID: Int64, channelID: Int64) async throws -> Bool {
        try InputValidation.userID(userID)
        return try await write("unsubscribe") { conn in
            try await conn.query("""
                DELETE FROM subscriptions WHERE user_id = \(userID) AND channel_id = \(channelID) RETURNING channel_id
                """, logger: self.logger).first({ _ in true }) ?? false
        }
    }

    public func subscriptions(userID: Int64, limit: Int, offset: Int) async throws -> [SubscribedChannel] {
        try InputValidation.page(userID: userID, limit: limit, offset: offset)
        return try await read("subscriptions") { conn in
            try await conn.query("""
                SELECT \(unescaped: StoredColumns.subscribedChannel) \(unescaped: StoredColumns.subscribedChannelJoins)
                WHERE s.user_id = \(userID) ORDER BY s.created_at, c.id LIMIT \(limit) OFFSET \(offset)
                """, logger: self.logger).decoded(RowDecoding.subscribedChannel)
        }
    }

    public func subscriptionCount(userID: Int64) async throws -> Int {
        try InputValidation.userID(userID)
        return try await read("subscription count") { conn in
            try await conn.query("SELECT COUNT(*)::bigint FROM subscriptions WHERE user_id = \(userID)", logger: self.logger)
                .first { try $0.decode(Int.self) } ?? 0
        }
    }

    public func subscription(userID: Int64, channelID: Int64) async throws -> SubscribedChannel? {
        try InputValidation.userID(userID)
        return try await read("subscription") { conn in
            try await conn.query("""
                SELECT \(unescaped: StoredColumns.subscribedChannel) \(unescaped: StoredColumns.subscribedChannelJoins)
                WHERE s.user_id = \(userID) AND s.channel_id = \(channelID)
                """, logger: self.logger).firstDecoded(RowDecoding.subscribedChannel)
        }
    }

    public func subscription(userID: Int64, ref: ChannelRef) async throws -> SubscribedChannel? {
        try InputValidation.userID(userID)
        let ref = try InputValidation.channel(ref)
        return try await read("subscription") { conn in
            try await conn.query("""
                SELECT \(unescaped: StoredColumns.subscribedChannel) \(unescaped: StoredColumns.subscribedChannelJoins)
                WHERE s.user_id = \(userID) AND c.kind = \(ref.kind.rawValue) AND c.key = \(ref.key)
                """, logger: self.logger).firstDecoded(RowDecoding.subscribedChannel)
        }
    }

    public func subscribedChannelIDs(userID: Int64) async throws -> [Int64] {
        try InputValidation.userID(userID)
        return try await read("subscribed channel ids") { conn in
            try await conn.query("SELECT channel_id FROM subscriptions WHERE user_id = \(userID) ORDER BY channel_id", logger: self.logger)
                .all { try $0.decode(Int64.self) }
        }
    }

    public func subscribers(channelID: Int64) async throws -> [Int64] {
        try await read("subscribers") { conn in
            try await conn.query("SELECT user_id FROM subscriptions WHERE channel_id = \(channelID) ORDER BY user_id", logger: self.logger)
                .all { try $0.decode(Int64.self) }
        }
    }

    public func subscribedChannelCount() async throws -> Int {
        try await read("subscribed channel count") { conn in
            try await conn.query("SELECT COUNT(DISTINCT channel_id)::bigint FROM subscriptions", logger: self.logger)
                .first { try $0.decode(Int.self) } ?? 0
        }
    }
}
