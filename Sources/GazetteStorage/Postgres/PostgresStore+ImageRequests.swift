import Foundation
import GazetteCore
import PostgresNIO

extension PostgresStore {
    // MARK: Pictures of the user account requested by digests (issue 24)

    public func requestImage(url: String, keepUntil: Date, now: Date) async throws {
        try InputValidation.text(url, field: "image url", maxLength: ImageRef.maxURLLength)
        try await write("request image") { conn in
            try await conn.query("""
                INSERT INTO image_requests (url, keep_until, requested_at) VALUES (\(url), \(keepUntil), \(now))
                ON CONFLICT (url) DO UPDATE SET keep_until = GREATEST(image_requests.keep_until, EXCLUDED.keep_until)
                """, logger: self.logger)
        }
    }

    public func imageRequests(limit: Int) async throws -> [ImageRequest] {
        try InputValidation.positive(limit, field: "limit")
        return try await read("image requests") { conn in
            let rows = try await conn.query("""
                SELECT url, keep_until, requested_at FROM image_requests ORDER BY requested_at, url LIMIT \(limit)
                """, logger: self.logger)
            var out: [ImageRequest] = []
            for try await (url, keepUntil, requestedAt) in rows.decode((String, Date, Date).self) {
                out.append(ImageRequest(url: url, keepUntil: keepUntil, requestedAt: requestedAt))
            }
            return out
        }
    }

    public func removeImageRequest(url: String) async throws {
        try await write("remove image request") { conn in
            try await conn.query("DELETE FROM image_requests WHERE url = \(url)", logger: self.logger)
        }
    }
}
