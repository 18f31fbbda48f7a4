import Foundation
import GazetteCore
import GazetteStorage
import GRDB
import PostgresNIO

// Benchmark baselines for `gazette-bench storage`: the same rows written with plain SQL, without validation
// or dedup, to show what the store's batch path costs on top of the database itself. Not part of any shipped binary.

public enum StorageBaseline {
    /// The content hashes the store would compute for these posts (the same function as `savePosts`), so a
    /// baseline inserts exactly the rows the store writes.
    public static func contentHashes(_ posts: [Post]) -> [String?] {
        posts.map { ContentHash.of(InputValidation.clean($0.text)) }
    }
}

extension SQLiteStore {
    /// One prepared `INSERT` statement, every row in one transaction.
    public func baselineBulkInsert(_ posts: [Post], hashes: [String?], channelID: Int64) async throws {
        precondition(posts.count == hashes.count, "one hash per post")
        try await write("baseline bulk insert") { db in
            let insert = try db.makeStatement(sql: """
                INSERT INTO posts (channel_id, message_id, text, html, date, views, url, media, forwarded_from,
                    link_preview_title, content_hash, fetched_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)
                """)
            let now = Date().unixSeconds
            for (p, hash) in zip(posts, hashes) {
                try insert.execute(arguments: [channelID, p.messageID, p.text, p.html, p.date.unixSeconds, p.views, p.url,
                                               p.forwardedFrom, p.linkPreviewTitle, hash, now])
            }
        }
    }
}

extension PostgresStore {
    /// `INSERT … SELECT FROM unnest(…)` per chunk, all chunks in one transaction.
    public func baselineBulkInsert(_ posts: [Post], hashes: [String?], channelID: Int64, chunkSize: Int) async throws {
        precondition(posts.count == hashes.count, "one hash per post")
        let chunks = stride(from: 0, to: posts.count, by: chunkSize).map { start in
            let end = min(start + chunkSize, posts.count)
            let items = (start..<end).map { PreparedPost(post: posts[$0], contentHash: hashes[$0], mediaJSON: nil) }
            return PostColumns(items, fetchedAt: Date())
        }
        try await transaction("baseline bulk insert") { conn in
            for c in chunks {
                try await conn.query("""
                    INSERT INTO posts (channel_id, message_id, text, html, date, views, url, media, forwarded_from,
                        link_preview_title, content_hash, fetched_at)
                    SELECT \(channelID), * FROM unnest(\(c.messageIDs)::bigint[], \(c.texts)::text[], \(c.htmls)::text[],
                        \(c.dates)::timestamptz[], \(c.views)::bigint[], \(c.urls)::text[], \(c.media)::text[],
                        \(c.forwardedFrom)::text[], \(c.previewTitles)::text[], \(c.hashes)::text[], \(c.fetchedAt)::timestamptz[])
                    """, logger: self.logger)
            }
        }
    }
}
