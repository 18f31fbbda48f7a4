import Foundation
import GazetteCore
import GazetteText
import GRDB
import GRDBSQLite

extension SQLiteStore {
    /// FTS5 ranks with `bm25()` (smaller is better; its negation is the score). The user's channels are a subquery on
    /// `subscriptions`, so another reader's channels are never in scope, whatever `scope.channelID` says.
    public func searchPosts(userID: Int64, query: SearchQuery, scope: SearchScope, limit: Int, offset: Int) async throws -> [SearchHit] {
        try InputValidation.search(userID: userID, query: query, scope: scope, limit: limit, offset: offset)
        let match = SearchDocument.fts5(query)
        return try await read("search posts") { db in
            try Row.fetchAll(db, sql: """
                SELECT \(StoredColumns.searchHit), -bm25(post_search) AS score
                FROM post_search JOIN posts p ON p.id = post_search.rowid JOIN channels c ON c.id = p.channel_id
                WHERE post_search MATCH ?1
                  AND p.channel_id IN (SELECT channel_id FROM subscriptions WHERE user_id = ?2)
                  AND (?3 IS NULL OR p.channel_id = ?3) AND (?4 IS NULL OR p.date >= ?4) AND (?5 IS NULL OR p.date < ?5)
                ORDER BY score DESC, p.date DESC, p.id DESC
                LIMIT ?6 OFFSET ?7
                """, arguments: [match, userID, scope.channelID, scope.since?.unixSeconds, scope.until?.unixSeconds, limit, offset])
                .map { try $0.decoded(RowDecoding.searchHit) }
        }
    }

    /// Indexes the posts stored before migration 9, `batchSize` posts per `BEGIN IMMEDIATE` transaction (read, stemmed
    /// and written under the write lock, so an edit cannot slip in between), each recording how far it got. Interrupted
    /// (a killed process, a cancelled task), the next call resumes there. Posts already indexed by `savePosts` meanwhile
    /// are skipped. Returns true when no post is left to index; `maxBatches` stops early (tests of resuming).
    @discardableResult
    package func buildSearchIndex(batchSize: Int = 2_000, maxBatches: Int = .max) async throws -> Bool {
        let start: (after: Int64, left: Int)? = try await read("search index state") { db in
            guard let after = try Int64.fetchOne(db, sql: "SELECT after_post_id FROM search_backfill WHERE id = 1") else { return nil }
            return (after, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM posts WHERE id > ?", arguments: [after]) ?? 0)
        }
        guard let start else { return true }
        var progress = SearchBackfillProgress(total: start.left, resumedAfter: start.after, logger: logger, store: "sqlite")
        for _ in 0..<maxBatches {
            try Task.checkCancellation()
            let step: Int? = try await write("build search index", kind: .migrate) { db in
                guard let after = try Int64.fetchOne(db, sql: "SELECT after_post_id FROM search_backfill WHERE id = 1") else { return nil }
                let rows = try Row.fetchAll(db, sql: """
                    SELECT id, text, link_preview_title FROM posts WHERE id > ? ORDER BY id LIMIT ?
                    """, arguments: [after, batchSize])
                guard let last = rows.last else {
                    try db.execute(sql: "DELETE FROM search_backfill")
                    return nil
                }
                let index = try SearchIndexWriter(db)
                let indexed = try db.cachedStatement(sql: "SELECT 1 FROM post_search WHERE rowid = ?")
                for row in rows {
                    let id: Int64 = row["id"]
                    guard try Bool.fetchOne(indexed, arguments: [id]) != true else { continue }
                    try index.add(postID: id, text: row["text"], title: row["link_preview_title"])
                }
                try db.execute(sql: "UPDATE search_backfill SET after_post_id = ? WHERE id = 1", arguments: [last["id"] as Int64])
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

/// Writes posts into the FTS5 index inside the caller's transaction. The document is bound as the bytes it was built
/// in, straight on the prepared statement: GRDB's argument array and `String` conversion cost a sixth of the index's
/// time on a 1,000-post batch.
struct SearchIndexWriter {
    private let insert: Statement
    private let replace: Statement
    private let db: Database

    init(_ db: Database) throws {
        self.db = db
        insert = try db.cachedStatement(sql: "INSERT INTO post_search (rowid, terms) VALUES (?, ?)")
        replace = try db.cachedStatement(sql: "INSERT OR REPLACE INTO post_search (rowid, terms) VALUES (?, ?)")
    }

    /// Indexes a post that was just inserted.
    func add(postID: Int64, text: String, title: String?) throws {
        try write(insert, postID: postID, document: SearchDocument.fts5(text: text, title: title))
    }

    /// Indexes a post again after an edit (or for the first time).
    func replace(postID: Int64, text: String, title: String?) throws {
        try write(replace, postID: postID, document: SearchDocument.fts5(text: text, title: title))
    }

    private func write(_ statement: Statement, postID: Int64, document: [UInt8]) throws {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        sqlite3_bind_int64(handle, 1, postID)
        // SQLite copies the text (SQLITE_TRANSIENT); an empty post is the empty string, as before, not NULL.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        let code = document.withUnsafeBufferPointer { bytes in
            let bound = bytes.isEmpty ? sqlite3_bind_text(handle, 2, "", 0, transient)
                : bytes.withMemoryRebound(to: CChar.self) { sqlite3_bind_text(handle, 2, $0.baseAddress, Int32($0.count), transient) }
            return bound == SQLITE_OK ? sqlite3_step(handle) : bound
        }
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)),
                                sql: statement.sql)
        }
    }
}
