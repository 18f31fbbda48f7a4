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
        try await trim(.images, now: now, maxBytes: maxBytes)
    }

    public func imageCacheSize() async throws -> CacheSize { try await size(of: .images) }

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
