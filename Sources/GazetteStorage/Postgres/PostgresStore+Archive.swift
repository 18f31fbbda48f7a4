import Foundation
import GazetteCore
import PostgresNIO

extension PostgresStore {
    // MARK: Digest archive

    public func recordArchivedDigest(_ d: ArchivedDigest) async throws -> Int64 {
        try ArchiveInput.digest(d)
        return try await write("record archived digest") { conn in
            let rows = try await conn.query("""
                INSERT INTO digest_archive (user_id, kind, period, window_since, window_until, title, markdown, channels, posts, created_at)
                VALUES (\(d.userID), \(d.kind), \(d.period), \(d.since), \(d.until), \(d.title), \(d.markdown), \(d.channels), \(d.posts),
                        \(d.createdAt))
                ON CONFLICT (user_id, kind, period) DO UPDATE SET window_since = EXCLUDED.window_since,
                    window_until = EXCLUDED.window_until, title = EXCLUDED.title, markdown = EXCLUDED.markdown,
                    channels = EXCLUDED.channels, posts = EXCLUDED.posts, created_at = EXCLUDED.created_at
                RETURNING id
                """, logger: self.logger)
            guard let id = try await rows.first({ try $0.decode(Int64.self) }) else {
                throw StoreError.unavailable("record archived digest: no id returned")
            }
            return id
        }
    }

    static let archiveColumns = """
        id, user_id, kind, period, window_since, window_until, title, markdown, channels::bigint, posts::bigint, created_at
        """

    public func archivedDigests(userID: Int64, limit: Int) async throws -> [ArchivedDigest] {
        try ArchiveInput.limit(limit)
        return try await read("archived digests") { conn in
            try await conn.query("""
                SELECT \(unescaped: Self.archiveColumns) FROM digest_archive WHERE user_id = \(userID)
                ORDER BY window_until DESC, id DESC LIMIT \(limit)
                """, logger: self.logger).all(Self.archivedDigest)
        }
    }

    public func archivedDigest(userID: Int64, id: Int64) async throws -> ArchivedDigest? {
        try await read("archived digest") { conn in
            try await conn.query("""
                SELECT \(unescaped: Self.archiveColumns) FROM digest_archive WHERE user_id = \(userID) AND id = \(id)
                """, logger: self.logger).first(Self.archivedDigest)
        }
    }

    public func deleteArchivedDigests(olderThan: Date) async throws -> Int {
        try await write("delete archived digests") { conn in
            let rows = try await conn.query("""
                WITH gone AS (DELETE FROM digest_archive WHERE created_at < \(olderThan) RETURNING 1) SELECT COUNT(*)::bigint FROM gone
                """, logger: self.logger)
            return try await rows.first { try $0.decode(Int.self) } ?? 0
        }
    }

    static func archivedDigest(_ row: PostgresRow) throws -> ArchivedDigest {
        let (id, user, kind, period, since, until, title, markdown, channels, posts, created) =
            try row.decode((Int64, Int64, String, String, Date, Date, String, String, Int64, Int64, Date).self)
        return ArchivedDigest(id: id, userID: user, kind: kind, period: period, since: since, until: until, title: title,
                              markdown: markdown, channels: Int(channels), posts: Int(posts), createdAt: created)
    }

    // MARK: Web tokens

    public func setWebToken(_ record: WebTokenRecord) async throws {
        try InputValidation.userID(record.userID)
        try ArchiveInput.tokenHash(record.tokenHash)
        try await write("set web token") { conn in
            try await conn.query("""
                INSERT INTO web_tokens (user_id, token_hash, created_at) VALUES (\(record.userID), \(record.tokenHash), \(record.createdAt))
                ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at
                """, logger: self.logger)
        }
    }

    public func webTokenUser(tokenHash: String) async throws -> Int64? {
        try await read("web token user") { conn in
            try await conn.query("SELECT user_id FROM web_tokens WHERE token_hash = \(tokenHash)", logger: self.logger)
                .first { try $0.decode(Int64.self) }
        }
    }

    public func webToken(userID: Int64) async throws -> WebTokenRecord? {
        try await read("web token") { conn in
            try await conn.query("SELECT token_hash, created_at FROM web_tokens WHERE user_id = \(userID)", logger: self.logger)
                .first { row in
                    let (hash, created) = try row.decode((String, Date).self)
                    return WebTokenRecord(userID: userID, tokenHash: hash, createdAt: created)
                }
        }
    }
}
