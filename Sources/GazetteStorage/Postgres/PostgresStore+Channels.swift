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
            RETURNING \(unescaped: PostgresRows.channelColumns)
            """, logger: logger)
        guard let channel = try await PostgresRows.first(rows, PostgresRows.channel) else {
            throw StoreError.unavailable("the channel \(ref.key) vanished while being created")
        }
        try await conn.query("INSERT INTO fetch_state (channel_id) VALUES (\(channel.id)) ON CONFLICT (channel_id) DO NOTHING",
                             logger: logger)
        return channel
    }

    public func updateChannelMetadata(channelID: Int64, _ metadata: ChannelMetadata) async throws {
        let title = InputValidation.clean(metadata.title), description = InputValidation.clean(metadata.description)
        let photo = InputValidation.clean(metadata.photoURL), subscribers = metadata.subscribers
        try await withConnection("update channel metadata") { conn in
            let rows = try await conn.query("""
                UPDATE channels SET title = COALESCE(\(title), title), description = COALESCE(\(description), description),
                    subscribers = COALESCE(\(subscribers), subscribers), photo_url = COALESCE(\(photo), photo_url),
                    updated_at = now()
                WHERE id = \(channelID) RETURNING id
                """, logger: self.logger)
            guard try await PostgresRows.first(rows, { _ in true }) == true else { throw StoreError.channelNotFound(channelID) }
        }
    }

    public func channel(id: Int64) async throws -> GazetteCore.Channel? {
        try await withConnection("channel") { conn in
            try await PostgresRows.first(
                try await conn.query("SELECT \(unescaped: PostgresRows.channelColumns) FROM channels c WHERE c.id = \(id)", logger: self.logger),
                PostgresRows.channel)
        }
    }

    public func channel(ref: ChannelRef) async throws -> GazetteCore.Channel? {
        let ref = try InputValidation.channel(ref)
        return try await withConnection("channel") { conn in
            try await PostgresRows.first(
                try await conn.query("""
                    SELECT \(unescaped: PostgresRows.channelColumns) FROM channels c WHERE c.kind = \(ref.kind.rawValue) AND c.key = \(ref.key)
                    """, logger: self.logger),
                PostgresRows.channel)
        }
    }

    public func subscribe(userID: Int64, ref: ChannelRef, tags: [String]) async throws -> (channel: GazetteCore.Channel, created: Bool) {
        try InputValidation.userID(userID)
        let ref = try InputValidation.channel(ref)
        let tagsJSON = try JSONColumn.tags(try InputValidation.tags(tags))
        let result: SubscribeResult = try await transaction("subscribe") { conn in
            let channel = try await self.upsertChannel(conn, ref)
            // xmax = 0 only on a freshly inserted row version.
            let rows = try await conn.query("""
                INSERT INTO subscriptions (user_id, channel_id, tags, created_at) VALUES (\(userID), \(channel.id), \(tagsJSON), now())
                ON CONFLICT (user_id, channel_id) DO UPDATE SET tags = EXCLUDED.tags
                RETURNING (xmax = 0) AS inserted
                """, logger: self.logger)
            let created = try await PostgresRows.first(rows) { try $0.decode(Bool.self) } ?? false
            return SubscribeResult(channel: channel, created: created)
        }
        return (result.channel, result.created)
    }

    public func unsubscribe(userID: Int64, channelID: Int64) async throws -> Bool {
        try InputValidation.userID(userID)
        return try await withConnection("unsubscribe") { conn in
            let rows = try await conn.query("""
                DELETE FROM subscriptions WHERE user_id = \(userID) AND channel_id = \(channelID) RETURNING channel_id
                """, logger: self.logger)
            return try await PostgresRows.first(rows, { _ in true }) ?? false
        }
    }

    public func subscriptions(userID: Int64, limit: Int) async throws -> [SubscribedChannel] {
        try InputValidation.userID(userID)
        try InputValidation.positive(limit, field: "limit")
        return try await withConnection("subscriptions") { conn in
            let rows = try await conn.query("""
                SELECT \(unescaped: PostgresRows.channelColumns), s.user_id, s.tags, s.created_at AS subscribed_at,
                    (SELECT COUNT(*) FROM posts p WHERE p.channel_id = c.id) AS post_count,
                    f.last_success_at, f.last_error
                FROM subscriptions s
                JOIN channels c ON c.id = s.channel_id
                LEFT JOIN fetch_state f ON f.channel_id = c.id
                WHERE s.user_id = \(userID)
                ORDER BY s.created_at, c.id
                LIMIT \(limit)
                """, logger: self.logger)
            return try await PostgresRows.all(rows) { row in
                let channel = try PostgresRows.channel(row)
                let r = row.makeRandomAccess()
                return SubscribedChannel(
                    channel: channel,
                    subscription: Subscription(userID: try r["user_id"].decode(Int64.self), channelID: channel.id,
                                               tags: try JSONColumn.decodeTags(try r["tags"].decode(String.self)),
                                               createdAt: try r["subscribed_at"].decode(Date.self)),
                    postCount: try r["post_count"].decode(Int.self),
                    lastSuccessAt: try r["last_success_at"].decode(Date?.self), lastError: try r["last_error"].decode(String?.self))
            }
        }
    }

    public func subscribers(channelID: Int64) async throws -> [Int64] {
        try await withConnection("subscribers") { conn in
            try await PostgresRows.all(
                try await conn.query("SELECT user_id FROM subscriptions WHERE channel_id = \(channelID) ORDER BY user_id", logger: self.logger)
            ) { try $0.decode(Int64.self) }
        }
    }

    public func subscribedChannels() async throws -> [GazetteCore.Channel] {
        try await withConnection("subscribed channels") { conn in
            try await PostgresRows.all(
                try await conn.query("""
                    SELECT \(unescaped: PostgresRows.channelColumns) FROM channels c
                    WHERE EXISTS (SELECT 1 FROM subscriptions s WHERE s.channel_id = c.id) ORDER BY c.id
                    """, logger: self.logger),
                PostgresRows.channel)
        }
    }
}
