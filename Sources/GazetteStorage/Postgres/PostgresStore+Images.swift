import Foundation
import GazetteCore
import PostgresNIO

extension PostgresStore {
    // MARK: Image cache (issue 16)

    public func cachedImage(url: String, now: Date) async throws -> CachedImage? {
        try InputValidation.text(url, field: "image url", maxLength: ImageRef.maxURLLength)
        return try await read("cached image") { conn in
            try await conn.query("SELECT * FROM image_cache WHERE url = \(url) AND expires_at > \(now)", logger: self.logger)
                .firstDecoded(RowDecoding.cachedImage)
        }
    }

    public func storeImage(_ image: CachedImage) async throws {
        try InputValidation.cachedImage(image)
        let size = Int64(image.bytes.count)
        try await write("store image") { conn in
            try await conn.query("""
                INSERT INTO image_cache (url, content_type, bytes, size, width, height, skip_reason, fetched_at, expires_at)
                VALUES (\(image.url), \(image.format?.contentType), \(image.bytes), \(size), \(image.width), \(image.height),
                        \(image.skipReason), \(image.fetchedAt), \(image.expiresAt))
                ON CONFLICT (url) DO UPDATE SET content_type = EXCLUDED.content_type, bytes = EXCLUDED.bytes, size = EXCLUDED.size,
                    width = EXCLUDED.width, height = EXCLUDED.height, skip_reason = EXCLUDED.skip_reason,
                    fetched_at = EXCLUDED.fetched_at, expires_at = GREATEST(image_cache.expires_at, EXCLUDED.expires_at)
                """, logger: self.logger)
        }
    }

    public func trimImageCache(now: Date, maxBytes: Int64) async throws -> Int {
        guard maxBytes >= 0 else { throw StoreError.invalidInput(field: "max_bytes", reason: "must not be negative") }
        return try await write("trim image cache") { conn in
            let rows = try await conn.query("""
                WITH expired AS (
                    DELETE FROM image_cache WHERE expires_at <= \(now) RETURNING 1
                ), over AS (
                    DELETE FROM image_cache WHERE url IN (
                        SELECT url FROM (
                            SELECT url, SUM(size) OVER (ORDER BY fetched_at DESC, url) AS kept FROM image_cache WHERE expires_at > \(now)
                        ) ranked WHERE kept > \(maxBytes)
                    ) RETURNING 1
                )
                SELECT (SELECT COUNT(*) FROM expired) + (SELECT COUNT(*) FROM over)
                """, logger: self.logger)
            return try await rows.first { try $0.decode(Int.self) } ?? 0
        }
    }

    public func imageCacheSize() async throws -> ImageCacheSize {
        try await read("image cache size") { conn in
            let rows = try await conn.query("SELECT COUNT(*)::bigint, COALESCE(SUM(size), 0)::bigint FROM image_cache", logger: self.logger)
            let size = try await rows.first { row -> ImageCacheSize in
                let (n, bytes) = try row.decode((Int64, Int64).self)
                return ImageCacheSize(entries: Int(n), bytes: bytes)
            }
            return size ?? ImageCacheSize(entries: 0, bytes: 0)
        }
    }

    public func readerImages(userID: Int64) async throws -> Bool? {
        try InputValidation.userID(userID)
        return try await read("reader images") { conn in
            try await conn.query("SELECT images FROM reader_settings WHERE user_id = \(userID)", logger: self.logger)
                .first { try $0.decode(Bool?.self) } ?? nil
        }
    }

    public func setReaderImages(userID: Int64, _ on: Bool?) async throws {
        try InputValidation.userID(userID)
        try await write("set reader images") { conn in
            try await conn.query("""
                INSERT INTO reader_settings (user_id, images, updated_at) VALUES (\(userID), \(on), \(Date()))
                ON CONFLICT (user_id) DO UPDATE SET images = EXCLUDED.images, updated_at = EXCLUDED.updated_at
                """, logger: self.logger)
        }
    }
}
