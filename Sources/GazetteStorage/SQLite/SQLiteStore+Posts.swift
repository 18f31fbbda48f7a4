import Foundation
import GazetteCore
import GRDB
import GRDBSQLite

extension SQLiteStore {
    public func savePosts(_ posts: [Post], channelID: Int64, outcome: FetchOutcome?, dedupWindow: TimeInterval) async throws -> SaveResult {
        let prepared = try BatchDedup.prepare(posts, dedupWindow: dedupWindow)
        let maxMessageID = posts.map(\.messageID).max()
        let saved: Int = try await write("save posts") { db in
            try Self.requireChannel(db, channelID)
            let now = Date().unixSeconds
            // Two statements per post, the content check then the insert. One `INSERT … SELECT … WHERE NOT EXISTS`
            // reads the table it writes, so SQLite buffers its row in an ephemeral table on every execution.
            // `abs(date - ?3)` keeps the planner on the (channel_id, content_hash, date) index; a date range would
            // tempt it to scan a week of the channel's posts per row through (channel_id, date).
            let duplicate = try db.cachedStatement(sql: """
                SELECT 1 FROM posts WHERE channel_id = ?1 AND content_hash = ?2 AND abs(date - ?3) <= ?4 LIMIT 1
                """)
            let insert = try db.cachedStatement(sql: """
                INSERT INTO posts (channel_id, message_id, text, html, date, views, url, media, forwarded_from,
                    link_preview_title, content_hash, fetched_at, forwards, edited_at, images)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (channel_id, message_id) DO NOTHING
                """)
            let index = try self.searchIndexing ? SearchIndexWriter(db) : nil
            var saved = 0
            for item in prepared {
                let p = item.post
                let date = p.date.unixSeconds
                if let hash = item.contentHash,
                   try Self.exists(duplicate, db: db, channelID: channelID, hash: hash, date: date, window: dedupWindow) {
                    continue
                }
                try insert.execute(arguments: [
                    channelID, p.messageID, p.text, p.html, date, p.views, p.url, item.mediaJSON, p.forwardedFrom,
                    p.linkPreviewTitle, item.contentHash, (p.fetchedAt ?? Date(unixSeconds: now)).unixSeconds,
                    p.forwards, p.editedAt?.unixSeconds, item.imagesJSON,
                ])
                if db.changesCount > 0 {
                    saved += 1
                    try index?.add(postID: db.lastInsertedRowID, text: p.text, title: p.linkPreviewTitle)
                }
            }
            if let outcome {
                try Self.apply(outcome, db: db, channelID: channelID, maxMessageID: maxMessageID, owner: nil)
            }
            return saved
        }
        return SaveResult(saved: saved, skipped: posts.count - saved, total: posts.count)
    }

    /// Runs the prepared content check with its arguments bound by hand. GRDB's `fetchOne` builds an argument
    /// array and a cursor per call, which cost as much as the index seek itself on a 1,000-post batch.
    private static func exists(_ statement: Statement, db: Database, channelID: Int64, hash: String, date: Double,
                               window: Double) throws -> Bool {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        let code = hash.withCString { text -> Int32 in
            sqlite3_bind_int64(handle, 1, channelID)
            // SQLite copies the 16 bytes (SQLITE_TRANSIENT): the binding outlives `text` until the next call.
            sqlite3_bind_text(handle, 2, text, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            sqlite3_bind_double(handle, 3, date)
            sqlite3_bind_double(handle, 4, window)
            return sqlite3_step(handle)
        }
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
        }
    }

    public func upsertPost(_ post: Post, channelID: Int64) async throws {
        guard let item = try BatchDedup.prepare([post], dedupWindow: 0).first else { return }
        try await write("upsert post") { db in
            try Self.requireChannel(db, channelID)
            let p = item.post
            try db.execute(sql: """
                INSERT INTO posts (channel_id, message_id, text, html, date, views, url, media, forwarded_from,
                    link_preview_title, content_hash, fetched_at, forwards, edited_at, images)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (channel_id, message_id) DO UPDATE SET
                    text = excluded.text, html = excluded.html, views = COALESCE(excluded.views, views),
                    url = COALESCE(excluded.url, url), media = excluded.media,
                    forwarded_from = excluded.forwarded_from, link_preview_title = excluded.link_preview_title,
                    content_hash = excluded.content_hash, fetched_at = excluded.fetched_at,
                    forwards = COALESCE(excluded.forwards, forwards), edited_at = COALESCE(excluded.edited_at, edited_at),
                    images = excluded.images
                """, arguments: [
                    channelID, p.messageID, p.text, p.html, p.date.unixSeconds, p.views, p.url, item.mediaJSON,
                    p.forwardedFrom, p.linkPreviewTitle, item.contentHash, (p.fetchedAt ?? Date()).unixSeconds,
                    p.forwards, p.editedAt?.unixSeconds, item.imagesJSON,
                ])
            guard self.searchIndexing else { return }
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM posts WHERE channel_id = ? AND message_id = ?",
                                              arguments: [channelID, p.messageID]) else { return }
            try SearchIndexWriter(db).replace(postID: id, text: p.text, title: p.linkPreviewTitle)
        }
    }

    public func posts(forUser userID: Int64, since: Date, until: Date, limits: WindowLimits) async throws -> [ChannelPosts] {
        try InputValidation.userID(userID)
        try InputValidation.window(since: since, until: until)
        try InputValidation.limits(limits)
        return try await read("posts for user") { db in
            let busiest = try Int64.fetchAll(db, sql: """
                SELECT p.channel_id FROM subscriptions s JOIN posts p ON p.channel_id = s.channel_id
                WHERE s.user_id = ? AND p.date >= ? AND p.date < ?
                GROUP BY p.channel_id ORDER BY COUNT(*) DESC, p.channel_id LIMIT ?
                """, arguments: [userID, since.unixSeconds, until.unixSeconds, limits.maxChannels])
            return try busiest.compactMap { channelID -> ChannelPosts? in
                guard let row = try Row.fetchOne(db, sql: "SELECT \(StoredColumns.channel) FROM channels c WHERE c.id = ?",
                                                 arguments: [channelID]) else { return nil }
                let posts = try Self.posts(db, channelID: channelID, since: since, until: until, limit: limits.maxPostsPerChannel)
                return ChannelPosts(channel: try row.decoded(RowDecoding.channel), posts: posts)
            }
        }
    }

    public func posts(channelID: Int64, since: Date, until: Date, limit: Int) async throws -> [Post] {
        try InputValidation.window(since: since, until: until, limit: limit)
        return try await read("posts of channel") { db in
            try Self.posts(db, channelID: channelID, since: since, until: until, limit: limit)
        }
    }

    static func posts(_ db: Database, channelID: Int64, since: Date, until: Date, limit: Int) throws -> [Post] {
        try Row.fetchAll(db, sql: """
            SELECT \(StoredColumns.post) FROM posts p JOIN channels c ON c.id = p.channel_id
            WHERE p.channel_id = ? AND p.date >= ? AND p.date < ?
            ORDER BY p.date DESC, p.message_id DESC LIMIT ?
            """, arguments: [channelID, since.unixSeconds, until.unixSeconds, limit]).map { try $0.decoded(RowDecoding.post) }
    }

    /// The highest internal post id (monotonic across all channels) of the user's channels since `since`:
    /// any newly stored post changes it, so it works as a cache-key component.
    public func newestPostID(forUser userID: Int64, since: Date) async throws -> Int64? {
        try InputValidation.userID(userID)
        return try await read("newest post") { db in
            try Int64.fetchOne(db, sql: """
                SELECT MAX(p.id) FROM posts p JOIN subscriptions s ON s.channel_id = p.channel_id
                WHERE s.user_id = ? AND p.date >= ?
                """, arguments: [userID, since.unixSeconds])
        }
    }

    public func deleteExpiredPosts(olderThan: Date, batchSize: Int) async throws -> Int {
        try InputValidation.positive(batchSize, field: "batch_size")
        var total = 0
        while true {
            // One short transaction per batch, so the worker never holds the write lock for long.
            let deleted: Int = try await write("delete expired posts") { db in
                try db.execute(sql: "DELETE FROM posts WHERE id IN (SELECT id FROM posts WHERE date < ? LIMIT ?)",
                               arguments: [olderThan.unixSeconds, batchSize])
                return db.changesCount
            }
            total += deleted
            if deleted < batchSize { return total }
            try Task.checkCancellation()
        }
    }
}
