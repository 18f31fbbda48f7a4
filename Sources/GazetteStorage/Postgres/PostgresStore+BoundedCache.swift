import Foundation
import GazetteCore
import PostgresNIO

extension PostgresStore {
    /// Drops `cache`'s expired rows, then its oldest beyond `maxBytes`, in one statement; returns how many went.
    func trim(_ cache: BoundedCache, now: Date, maxBytes: Int64) async throws -> Int {
        try BoundedCache.checkBound(maxBytes)
        var binds = PostgresBindings()
        try binds.append(now)
        try binds.append(maxBytes)
        // Both deletes see the same snapshot, so the sum leaves out what the first one drops.
        let sql = """
            WITH expired AS (\(cache.deleteExpired("$1")) RETURNING 1),
            over AS (\(cache.deleteOverBound("$2", liveSince: "$1")) RETURNING 1)
            SELECT (SELECT COUNT(*) FROM expired) + (SELECT COUNT(*) FROM over)
            """
        return try await write("trim \(cache.name)") { conn in
            let rows = try await conn.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: self.logger)
            return try await rows.first { try $0.decode(Int.self) } ?? 0
        }
    }

    func size(of cache: BoundedCache) async throws -> CacheSize {
        try await read("\(cache.name) size") { conn in
            let rows = try await conn.query(PostgresQuery(unsafeSQL: cache.sizeQuery), logger: self.logger)
            let size = try await rows.first { row -> CacheSize in
                let (n, bytes) = try row.decode((Int64, Int64).self)
                return CacheSize(entries: Int(n), bytes: bytes)
            }
            return size ?? CacheSize(entries: 0, bytes: 0)
        }
    }
}
