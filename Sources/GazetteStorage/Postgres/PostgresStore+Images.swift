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
        try await trim(.images, now: now, maxBytes: maxBytes)
    }

    public func imageCacheSize() async throws -> CacheSize { try await size(of: .images) }

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
