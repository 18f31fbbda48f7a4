import Foundation
import GazetteStorage
import GRDB
import PostgresNIO

/// Plain SQL outside the store's API, for test set-up (triggers that fail on purpose, a schema row from the future,
/// a schema rolled back to an older version) and benchmark baselines. Not part of any shipped binary.
public protocol RawSQLExecuting: Sendable {
    func executeRaw(_ sql: String) async throws
}

extension SQLiteStore: RawSQLExecuting {
    public func executeRaw(_ sql: String) async throws {
        try await write("raw sql") { db in try db.execute(sql: sql) }
    }
}

extension PostgresStore: RawSQLExecuting {
    public func executeRaw(_ sql: String) async throws {
        try await write("raw sql") { conn in
            try await conn.query(PostgresQuery(unsafeSQL: sql), logger: self.logger)
        }
    }
}
