import Foundation
import GazetteCore
import GRDB

extension SQLiteStore {
    // MARK: Digest archive

    public func recordArchivedDigest(_ d: ArchivedDigest) async throws -> Int64 {
        try ArchiveInput.digest(d)
        return try await write("record archived digest") { db in
            try db.execute(sql: """
                INSERT INTO digest_archive (user_id, kind, period, window_since, window_until, title, markdown, channels, posts, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (user_id, kind, period) DO UPDATE SET window_since = excluded.window_since,
                    window_until = excluded.window_until, title = excluded.title, markdown = excluded.markdown,
                    channels = excluded.channels, posts = excluded.posts, created_at = excluded.created_at
                """, arguments: [d.userID, d.kind, d.period, d.since.unixSeconds, d.until.unixSeconds, d.title, d.markdown,
                                 d.channels, d.posts, d.createdAt.unixSeconds])
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM digest_archive WHERE user_id = ? AND kind = ? AND period = ?",
                                              arguments: [d.userID, d.kind, d.period]) else {
                throw StoreError.unavailable("record archived digest: the row is missing after the insert")
            }
            return id
        }
    }

    public func archivedDigests(userID: Int64, limit: Int) async throws -> [ArchivedDigest] {
        try ArchiveInput.limit(limit)
        return try await read("archived digests") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM digest_archive WHERE user_id = ? ORDER BY window_until DESC, id DESC LIMIT ?",
                             arguments: [userID, limit]).map(Self.archivedDigest)
        }
    }

    public func archivedDigest(userID: Int64, id: Int64) async throws -> ArchivedDigest? {
        try await read("archived digest") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM digest_archive WHERE user_id = ? AND id = ?", arguments: [userID, id])
                .map(Self.archivedDigest)
        }
    }

    public func deleteArchivedDigests(olderThan: Date) async throws -> Int {
        try await write("delete archived digests") { db in
            try db.execute(sql: "DELETE FROM digest_archive WHERE created_at < ?", arguments: [olderThan.unixSeconds])
            return db.changesCount
        }
    }

    static func archivedDigest(_ row: Row) -> ArchivedDigest {
        ArchivedDigest(id: row["id"], userID: row["user_id"], kind: row["kind"], period: row["period"],
                       since: Date(unixSeconds: row["window_since"]), until: Date(unixSeconds: row["window_until"]),
                       title: row["title"], markdown: row["markdown"], channels: row["channels"], posts: row["posts"],
                       createdAt: Date(unixSeconds: row["created_at"]))
    }

    // MARK: Web tokens

    public func setWebToken(_ record: WebTokenRecord) async throws {
        try InputValidation.userID(record.userID)
        try ArchiveInput.tokenHash(record.tokenHash)
        try await write("set web token") { db in
            try db.execute(sql: """
                INSERT INTO web_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at
                """, arguments: [record.userID, record.tokenHash, record.createdAt.unixSeconds])
        }
    }

    public func webTokenUser(tokenHash: String) async throws -> Int64? {
        try await read("web token user") { db in
            try Int64.fetchOne(db, sql: "SELECT user_id FROM web_tokens WHERE token_hash = ?", arguments: [tokenHash])
        }
    }

    public func webToken(userID: Int64) async throws -> WebTokenRecord? {
        try await read("web token") { db in
            try Row.fetchOne(db, sql: "SELECT token_hash, created_at FROM web_tokens WHERE user_id = ?", arguments: [userID]).map { row in
                WebTokenRecord(userID: userID, tokenHash: row["token_hash"], createdAt: Date(unixSeconds: row["created_at"]))
            }
        }
    }
}
