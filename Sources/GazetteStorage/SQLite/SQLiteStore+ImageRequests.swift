import Foundation
import GazetteCore
import GRDB

extension SQLiteStore {
    // MARK: Pictures of the user account requested by digests (issue 24)

    public func requestImage(url: String, keepUntil: Date, now: Date) async throws {
        try InputValidation.text(url, field: "image url", maxLength: ImageRef.maxURLLength)
        try await write("request image") { db in
            try db.execute(sql: """
                INSERT INTO image_requests (url, keep_until, requested_at) VALUES (?, ?, ?)
                ON CONFLICT (url) DO UPDATE SET keep_until = max(image_requests.keep_until, excluded.keep_until)
                """, arguments: [url, keepUntil.unixSeconds, now.unixSeconds])
        }
    }

    public func imageRequests(limit: Int) async throws -> [ImageRequest] {
        try InputValidation.positive(limit, field: "limit")
        return try await read("image requests") { db in
            try Row.fetchAll(db, sql: "SELECT url, keep_until, requested_at FROM image_requests ORDER BY requested_at, url LIMIT ?",
                             arguments: [limit]).map { row in
                ImageRequest(url: row["url"], keepUntil: Date(unixSeconds: row["keep_until"]), requestedAt: Date(unixSeconds: row["requested_at"]))
            }
        }
    }

    public func removeImageRequest(url: String) async throws {
        try await write("remove image request") { db in
            try db.execute(sql: "DELETE FROM image_requests WHERE url = ?", arguments: [url])
        }
    }
}
