import Foundation
import GazetteCore
import GazetteText
import PostgresNIO

extension PostgresStore {
    /// The GIN index finds the matching rows of `post_search` (narrow: id, channel, date, terms), which are ranked with
    /// `ts_rank` (normalization 1: divided by 1 + the log of the post's length, as bm25 weighs long posts down) before
    /// the page's posts are read. The user's channels are a subquery on `subscriptions`, so another reader's channels are
    /// never in scope, whatever `scope.channelID` says.
    public func searchPosts(userID: Int64, query: SearchQuery, scope: SearchScope, limit: Int, offset: Int) async throws -> [SearchHit] {
        try InputValidation.search(userID: userID, query: query, scope: scope, limit: limit, offset: offset)
        let tsquery = SearchDocument.tsquery(query)
        return try await read("search posts") { conn in
            try await conn.query("""
                SELECT \(unescaped: StoredColumns.searchHit), h.score
                FROM (
                    SELECT s.post_id, s.date, ts_rank(s.terms, \(tsquery)::tsquery, 1)::float8 AS score
                    FROM post_search s
                    WHERE s.terms @@ \(tsquery)::tsquery
                      AND s.channel_id IN (SELECT channel_id FROM subscriptions WHERE user_id = \(userID))
                      AND (\(scope.channelID)::bigint IS NULL OR s.channel_id = \(scope.channelID))
                      AND (\(scope.since)::timestamptz IS NULL OR s.date >= \(scope.since))
                      AND (\(scope.until)::timestamptz IS NULL OR s.date < \(scope.until))
                    ORDER BY score DESC, s.date DESC, s.post_id DESC
                    LIMIT \(limit) OFFSET \(offset)
                ) h JOIN posts p ON p.id = h.post_id JOIN channels c ON c.id = p.channel_id
                ORDER BY h.score DESC, h.date DESC, h.post_id DESC
                """, logger: self.logger).decoded(RowDecoding.searchHit)
        }
    }

    /// Indexes the posts stored before migration 9, `batchSize` posts per transaction, each recording how far it got:
    /// interrupted (a killed process, a cancelled task), the next call resumes there. The state row is locked first, so
    /// two processes migrating at once take turns; the batch's posts are locked against an edit until the transaction
    /// ends. Posts already indexed by `savePosts` meanwhile are skipped. Returns true when no post is left to index;
    /// `maxBatches` stops early (tests of resuming).
    @discardableResult
    package func buildSearchIndex(batchSize: Int = 2_000, maxBatches: Int = .max) async throws -> Bool {
        let start: (after: Int64, left: Int)? = try await read("search index state") { conn in
            let state = try await conn.query("SELECT after_post_id FROM search_backfill WHERE id = 1", logger: self.logger)
            guard let after = try await state.first({ try $0.decode(Int64.self) }) else { return nil }
            let left = try await conn.query("SELECT COUNT(*)::bigint FROM posts WHERE id > \(after)", logger: self.logger)
            return (after, try await left.first { try $0.decode(Int.self) } ?? 0)
        }
        guard let start else { return true }
        var progress = SearchBackfillProgress(total: start.left, resumedAfter: start.after, logger: logger, store: "postgres")
        for _ in 0..<maxBatches {
            try Task.checkCancellation()
            let step: Int? = try await transaction("build search index", kind: .migrate) { conn in
                let state = try await conn.query("SELECT after_post_id FROM search_backfill WHERE id = 1 FOR UPDATE", logger: self.logger)
                guard let after = try await state.first({ try $0.decode(Int64.self) }) else { return nil }
                let rows = try await conn.query("""
                    SELECT id, channel_id, date, text, link_preview_title FROM posts WHERE id > \(after)
                    ORDER BY id LIMIT \(batchSize) FOR SHARE
                    """, logger: self.logger).all { try $0.decode((Int64, Int64, Date, String, String?).self) }
                guard let last = rows.last else {
                    try await conn.query("DELETE FROM search_backfill", logger: self.logger)
                    return nil
                }
                let terms = rows.map { SearchDocument.tsvector(text: $0.3, title: $0.4) }
                try await conn.query("""
                    INSERT INTO post_search (post_id, channel_id, date, terms)
                    SELECT * FROM unnest(\(rows.map(\.0))::bigint[], \(rows.map(\.1))::bigint[], \(rows.map(\.2))::timestamptz[],
                                         \(terms)::tsvector[])
                    ON CONFLICT (post_id) DO NOTHING
                    """, logger: self.logger)
                try await conn.query("UPDATE search_backfill SET after_post_id = \(last.0) WHERE id = 1", logger: self.logger)
                return rows.count
            }
            guard let step else {
                progress.finish()
                return true
            }
            progress.advance(by: step)
        }
        return false
    }
}
