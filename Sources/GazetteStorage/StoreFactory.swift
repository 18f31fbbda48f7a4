import Foundation
import GazetteCore
import Logging

/// Opens the store a database URL names and brings its schema up to date.
public enum StoreFactory {
    /// `sqlite:PATH` (directory created, WAL, busy timeout, foreign keys) or
    /// `postgres://user:pass@host:port/db?sslmode=disable|prefer|require` (connection pool, TLS optional).
    /// Migrations are applied; a database newer than this binary is refused with `StoreError.schemaTooNew`.
    public static func open(databaseURL: String, logger: Logger) async throws -> any GazetteStore {
        let store: any GazetteStore
        switch try DatabaseURL.parse(databaseURL) {
        case .sqlite(let path):
            store = try SQLiteStore(path: path, logger: logger)
        case .postgres(let url):
            store = try PostgresStore(url: url, logger: logger)
        }
        do {
            try await store.migrate()
        } catch {
            await store.shutdown()
            throw error
        }
        return store
    }
}
