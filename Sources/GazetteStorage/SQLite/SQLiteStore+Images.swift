import Foundation
import GazetteCore
import GRDB

extension SQLiteStore {
    // MARK: Image cache (issue 16)

    public func cachedImage(url: String, now: Date) async throws -> CachedImage? {
        try InputValidation.text(url, field: "image url", maxLength: ImageRef.maxURLLength)
        return try await read("cached image") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM image_cache WHERE url = ? AND expires_at > ?",
                             arguments: [url, now.unixSeconds])?.decoded(RowDecoding.cachedImage)
        }
    }

    public func storeImage(_ image: CachedImage) async throws {
        try InputValidation.cachedImage(image)
        try await write("store image") { db in
            try db.execute(sql: """
                INSERT INTO image_cache (url, content_type, bytes, size, width, height, skip_reason, fetched_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (url) DO UPDATE SET content_type = excluded.content_type, bytes = excluded.bytes, size = excluded.size,
                    width = excluded.width, height = excluded.height, skip_reason = excluded.skip_reason,
                    fetched_at = excluded.fetched_at, expires_at = max(image_cache.expires_at, excluded.expires_at)
                """, arguments: [image.url, image.format?.contentType, image.bytes, image.bytes.count, image.width, image.height,
                                 image.skipReason, image.fetchedAt.unixSeconds, image.expiresAt.unixSeconds])
        }
    }

    public func trimImageCache(now: Date, maxBytes: Int64) async throws -> Int {
        guard maxBytes >= 0 else { throw StoreError.invalidInput(field: "max_bytes", reason: "must not be negative") }
        return try await write("trim image cache") { db in
            try db.execute(sql: "DELETE FROM image_cache WHERE expires_at <= ?", arguments: [now.unixSeconds])
            var deleted = db.changesCount
            // The oldest fetched go first, until what is left fits: a window over the newest, summed.
            try db.execute(sql: """
                DELETE FROM image_cache WHERE url IN (
                    SELECT url FROM (
                        SELECT url, SUM(size) OVER (ORDER BY fetched_at DESC, url) AS kept FROM image_cache
                    ) WHERE kept > ?
                )
                """, arguments: [maxBytes])
            deleted += db.changesCount
            return deleted
        }
    }

    public func imageCacheSize() async throws -> ImageCacheSize {
        try await read("image cache size") { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes FROM image_cache")
            return ImageCacheSize(entries: row?["n"] ?? 0, bytes: row?["bytes"] ?? 0)
        }
    }

    public func readerImages(userID: Int64) async throws -> Bool? {
        try InputValidation.userID(userID)
        return try await read("reader images") { db in
            try Bool?.fetchOne(db, sql: "SELECT images FROM reader_settings WHERE user_id = ?", arguments: [userID]) ?? nil
        }
    }

    public func setReaderImages(userID: Int64, _ on: Bool?) async throws {
        try InputValidation.userID(userID)
        try await write("set reader images") { db in
            try db.execute(sql: """
                INSERT INTO reader_settings (user_id, images, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET images = excluded.images, updated_at = excluded.updated_at
                """, arguments: [userID, on, Date().unixSeconds])
        }
    }
}
