import Foundation
import GRDB
import PostgresNIO

/// Plain SQL outside the store's API: test set-up (triggers that fail on purpose, a future schema row)
/// and benchmark baselines. Internal; tests reach it through `@testable import`.
protocol RawSQLExecuting: Sendable {
    func executeRaw(_ sql: String) async throws
}

extension SQLiteStore: RawSQLExecuting {
    func executeRaw(_ sql: String) async throws {
        try await write("raw sql") { db in try db.execute(sql: sql) }
    }
}

extension PostgresStore: RawSQLExecuting {
    func executeRaw(_ sql: String) async throws {
        try await withConnection("raw sql") { conn in
            try await conn.query(PostgresQuery(unsafeSQL: sql), logger: self.logger)
        }
    }
}
