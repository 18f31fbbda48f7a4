import Foundation
import GazetteCore
import PostgresNIO

extension PostgresStore {
    // MARK: Deliveries

    public func claimDelivery(userID: Int64, kind: String, period: String, owner: String, now: Date) async throws -> Bool {
        try DeliveryInput.validate(userID: userID, kind: kind, period: period, owner: owner)
        return try await write("claim delivery") { conn in
            // One statement, race-free across processes: inserted, or a failed or abandoned row taken over;
            // otherwise no row.
            let abandoned = now.addingTimeInterval(-Delivery.abandonedAfter)
            let rows = try await conn.query("""
                INSERT INTO deliveries (user_id, kind, period, status, attempts, claimed_by, updated_at)
                VALUES (\(userID), \(kind), \(period), 'claimed', 1, \(owner), \(now))
                ON CONFLICT (user_id, kind, period) DO UPDATE SET
                    status = 'claimed', attempts = deliveries.attempts + 1,
                    claimed_by = EXCLUDED.claimed_by, updated_at = EXCLUDED.updated_at
                WHERE deliveries.status = 'failed' OR (deliveries.status = 'claimed' AND deliveries.updated_at <= \(abandoned))
                RETURNING 1
                """, logger: self.logger)
            return try await rows.first({ _ in true }) ?? false
        }
    }

    public func finishDelivery(userID: Int64, kind: String, period: String, status: Delivery.Status, now: Date) async throws {
        try DeliveryInput.validate(userID: userID, kind: kind, period: period, owner: "-")
        try await write("finish delivery") { conn in
            let rows = try await conn.query("""
                UPDATE deliveries SET status = \(status.rawValue), updated_at = \(now)
                WHERE user_id = \(userID) AND kind = \(kind) AND period = \(period) RETURNING 1
                """, logger: self.logger)
            guard try await rows.first({ _ in true }) == true else {
                throw StoreError.invalidInput(field: "delivery", reason: "no delivery \(kind) \(period) was claimed for user \(userID)")
            }
        }
    }

    public func delivery(userID: Int64, kind: String, period: String) async throws -> Delivery? {
        try await read("delivery") { conn in
            try await conn.query("""
                SELECT * FROM deliveries WHERE user_id = \(userID) AND kind = \(kind) AND period = \(period)
                """, logger: self.logger).firstDecoded(RowDecoding.delivery)
        }
    }

    // MARK: Digest cache

    public func cachedDigest(key: String, now: Date) async throws -> CachedDigest? {
        try InputValidation.text(key, field: "cache key")
        return try await read("cached digest") { conn in
            try await conn.query("SELECT * FROM digest_cache WHERE key = \(key) AND expires_at > \(now)", logger: self.logger)
                .firstDecoded(RowDecoding.cachedDigest)
        }
    }

    public func storeDigest(_ digest: CachedDigest) async throws {
        try InputValidation.cachedDigest(digest)
        try await write("store digest") { conn in
            try await conn.query("""
                INSERT INTO digest_cache (key, pdf, pages, channels, posts, created_at, expires_at)
                VALUES (\(digest.key), \(digest.pdf), \(digest.pages), \(digest.channels), \(digest.posts), \(digest.createdAt),
                        \(digest.expiresAt))
                ON CONFLICT (key) DO UPDATE SET pdf = EXCLUDED.pdf, pages = EXCLUDED.pages, channels = EXCLUDED.channels,
                    posts = EXCLUDED.posts, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
                """, logger: self.logger)
        }
    }

    public func deleteExpiredDigests(now: Date) async throws -> Int {
        try await write("delete expired digests") { conn in
            let rows = try await conn.query("""
                WITH gone AS (DELETE FROM digest_cache WHERE expires_at <= \(now) RETURNING 1) SELECT COUNT(*)::bigint FROM gone
                """, logger: self.logger)
            return try await rows.first { try $0.decode(Int.self) } ?? 0
        }
    }

    // MARK: Bot state

    public func userSettings(userID: Int64) async throws -> UserSettings? {
        try await read("user settings") { conn in
            try await conn.query("SELECT * FROM user_settings WHERE user_id = \(userID)", logger: self.logger)
                .firstDecoded(RowDecoding.settings)
        }
    }

    public func saveUserSettings(_ settings: UserSettings) async throws {
        try InputValidation.settings(settings)
        try await write("save user settings") { conn in
            try await conn.query("""
                INSERT INTO user_settings (user_id, chat_id, daily_digest, daily_hour, time_zone, format, destinations, email, updated_at)
                VALUES (\(settings.userID), \(settings.chatID), \(settings.dailyDigest), \(settings.dailyHour),
                        \(settings.timeZone), \(settings.format.rawValue), \(DigestDestination.text(settings.destinations)),
                        \(settings.email), now())
                ON CONFLICT (user_id) DO UPDATE SET chat_id = EXCLUDED.chat_id, daily_digest = EXCLUDED.daily_digest,
                    daily_hour = EXCLUDED.daily_hour, time_zone = EXCLUDED.time_zone, format = EXCLUDED.format,
                    destinations = EXCLUDED.destinations, email = EXCLUDED.email, updated_at = EXCLUDED.updated_at
                """, logger: self.logger)
        }
    }

    public func usersWithDailyDigest() async throws -> [UserSettings] {
        try await read("daily digest users") { conn in
            try await conn.query("SELECT * FROM user_settings WHERE daily_digest ORDER BY user_id", logger: self.logger)
                .decoded(RowDecoding.settings)
        }
    }

    public func stateValue(_ key: String) async throws -> String? {
        try InputValidation.text(key, field: "state key")
        return try await read("state value") { conn in
            try await conn.query("SELECT value FROM kv_state WHERE key = \(key)", logger: self.logger).first { try $0.decode(String.self) }
        }
    }

    public func setStateValue(_ key: String, _ value: String) async throws {
        try InputValidation.text(key, field: "state key")
        let value = InputValidation.clean(value)
        try await write("set state value") { conn in
            try await conn.query("""
                INSERT INTO kv_state (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
                """, logger: self.logger)
        }
    }
}
