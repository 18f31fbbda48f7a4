import Foundation
import GazetteCore
import GRDB

extension SQLiteStore {
    /// Drops `cache`'s expired rows, then its oldest beyond `maxBytes`; returns how many went.
    func trim(_ cache: BoundedCache, now: Date, maxBytes: Int64) async throws -> Int {
        try BoundedCache.checkBound(maxBytes)
        return try await write("trim \(cache.name)") { db in
            try db.execute(sql: cache.deleteExpired("?"), arguments: [now.unixSeconds])
            var deleted = db.changesCount
            try db.execute(sql: cache.deleteOverBound("?"), arguments: [maxBytes])
            deleted += db.changesCount
            return deleted
        }
    }

    func size(of cache: BoundedCache) async throws -> CacheSize {
        try await read("\(cache.name) size") { db in
            let row = try Row.fetchOne(db, sql: cache.sizeQuery)
            return CacheSize(entries: row?[0] ?? 0, bytes: row?[1] ?? 0)
        }
    }
}
