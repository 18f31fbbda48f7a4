import Foundation
import GazetteStorage
import GRDB
import PostgresNIO

/// Plain SQL outside the store's API, for test set-up (triggers that fail on purpose, a schema row from the future,
/// a schema rolled back to an older version) and benchmark baselines. Not part of any shipped binary.
public protocol RawSQLExecuting: Sendable {
    func executeRaw(_ sql: String) async throws
    /// The integer of the first column of the first row (a `COUNT(*)`).
    func countRaw(_ sql: String) async throws -> Int
}

extension SQLiteStore: RawSQLExecuting {
    public func executeRaw(_ sql: String) async throws {
        try await write("raw sql") { db in try db.execute(sql: sql) }
    }

    public func countRaw(_ sql: String) async throws -> Int {
        try await write("raw sql") { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }
}

extension PostgresStore: RawSQLExecuting {
    public func executeRaw(_ sql: String) async throws {
        try await write("raw sql") { conn in
            try await conn.query(PostgresQuery(unsafeSQL: sql), logger: self.logger)
        }
    }

    public func countRaw(_ sql: String) async throws -> Int {
        try await write("raw sql") { conn in
            var value = 0
            for try await row in try await conn.query(PostgresQuery(unsafeSQL: sql), logger: self.logger) {
                value = try row.decode(Int.self)
            }
            return value
        }
    }
}
