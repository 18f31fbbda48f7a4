import Foundation
import GazetteCore
import GRDB

extension SQLiteStore {
    // MARK: Deliveries

    public func claimDelivery(userID: Int64, kind: String, period: String, owner: String, now: Date) async throws -> Bool {
        try DeliveryInput.validate(userID: userID, kind: kind, period: period, owner: owner)
        return try await write("claim delivery") { db in
            // One statement: inserted, or a failed or abandoned row taken over; a live claim or a sent row returns nothing.
            try Bool.fetchOne(db, sql: """
                INSERT INTO deliveries (user_id, kind, period, status, attempts, claimed_by, updated_at)
                VALUES (?, ?, ?, 'claimed', 1, ?, ?)
                ON CONFLICT (user_id, kind, period) DO UPDATE SET
                    status = 'claimed', attempts = deliveries.attempts + 1,
                    claimed_by = excluded.claimed_by, updated_at = excluded.updated_at
                WHERE deliveries.status = 'failed' OR (deliveries.status = 'claimed' AND deliveries.updated_at <= ?)
                RETURNING 1
                """, arguments: [userID, kind, period, owner, now.unixSeconds, now.unixSeconds - Delivery.abandonedAfter]) ?? false
        }
    }

    public func finishDelivery(userID: Int64, kind: String, period: String, status: Delivery.Status, now: Date) async throws {
        try DeliveryInput.validate(userID: userID, kind: kind, period: period, owner: "-")
        try await write("finish delivery") { db in
            try db.execute(sql: "UPDATE deliveries SET status = ?, updated_at = ? WHERE user_id = ? AND kind = ? AND period = ?",
                           arguments: [status.rawValue, now.unixSeconds, userID, kind, period])
            guard db.changesCount == 1 else {
                throw StoreError.invalidInput(field: "delivery", reason: "no delivery \(kind) \(period) was claimed for user \(userID)")
            }
        }
    }

    public func delivery(userID: Int64, kind: String, period: String) async throws -> Delivery? {
        try await read("delivery") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM deliveries WHERE user_id = ? AND kind = ? AND period = ?",
                             arguments: [userID, kind, period])?.decoded(RowDecoding.delivery)
        }
    }

    // MARK: Digest cache

    public func cachedDigest(key: String, now: Date) async throws -> CachedDigest? {
        try InputValidation.text(key, field: "cache key")
        return try await read("cached digest") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM digest_cache WHERE key = ? AND expires_at > ?",
                             arguments: [key, now.unixSeconds])?.decoded(RowDecoding.cachedDigest)
        }
    }

    public func storeDigest(_ digest: CachedDigest) async throws {
        try InputValidation.cachedDigest(digest)
        try await write("store digest") { db in
            try db.execute(sql: """
                INSERT INTO digest_cache (key, pdf, pages, channels, posts, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET pdf = excluded.pdf, pages = excluded.pages, channels = excluded.channels,
                    posts = excluded.posts, created_at = excluded.created_at, expires_at = excluded.expires_at
                """, arguments: [digest.key, digest.pdf, digest.pages, digest.channels, digest.posts,
                                 digest.createdAt.unixSeconds, digest.expiresAt.unixSeconds])
        }
    }

    public func deleteExpiredDigests(now: Date) async throws -> Int {
        try await write("delete expired digests") { db in
            try db.execute(sql: "DELETE FROM digest_cache WHERE expires_at <= ?", arguments: [now.unixSeconds])
            return db.changesCount
        }
    }

    // MARK: Bot state

    public func userSettings(userID: Int64) async throws -> UserSettings? {
        try await read("user settings") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM user_settings WHERE user_id = ?", arguments: [userID])?.decoded(RowDecoding.settings)
        }
    }

    public func saveUserSettings(_ settings: UserSettings) async throws {
        try InputValidation.settings(settings)
        try await write("save user settings") { db in
            try db.execute(sql: """
                INSERT INTO user_settings (user_id, chat_id, daily_digest, daily_hour, time_zone, format, destinations, email, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET chat_id = excluded.chat_id, daily_digest = excluded.daily_digest,
                    daily_hour = excluded.daily_hour, time_zone = excluded.time_zone, format = excluded.format,
                    destinations = excluded.destinations, email = excluded.email, updated_at = excluded.updated_at
                """, arguments: [settings.userID, settings.chatID, settings.dailyDigest, settings.dailyHour,
                                 settings.timeZone, settings.format.rawValue, DigestDestination.text(settings.destinations),
                                 settings.email, Date().unixSeconds])
        }
    }

    public func usersWithDailyDigest() async throws -> [UserSettings] {
        try await read("daily digest users") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM user_settings WHERE daily_digest = 1 ORDER BY user_id").map { try $0.decoded(RowDecoding.settings) }
        }
    }

    public func stateValue(_ key: String) async throws -> String? {
        try InputValidation.text(key, field: "state key")
        return try await read("state value") { db in
            try String.fetchOne(db, sql: "SELECT value FROM kv_state WHERE key = ?", arguments: [key])
        }
    }

    public func setStateValue(_ key: String, _ value: String) async throws {
        try InputValidation.text(key, field: "state key")
        let value = InputValidation.clean(value)
        try await write("set state value") { db in
            try db.execute(sql: "INSERT INTO kv_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           arguments: [key, value])
        }
    }
}
