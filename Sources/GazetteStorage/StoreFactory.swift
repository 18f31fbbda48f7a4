import Foundation
import GazetteCore
import Logging

/// Makes the store a database URL names.
public enum StoreFactory {
    /// `sqlite:PATH` (directory created, WAL, busy timeout, foreign keys) or
    /// `postgres://user:pass@host:port/db?sslmode=disable|prefer|require` (connection pool, TLS optional).
    /// Nothing is migrated, and a PostgreSQL store does not connect yet: long-running processes start this way and
    /// wait for the database (`DatabaseStartup`). Failed database operations are reported to `observer`.
    public static func make(databaseURL: String, observer: (any StoreObserver)? = nil, logger: Logger) throws -> any GazetteStore {
        switch try DatabaseURL.parse(databaseURL) {
        case .sqlite(let path): try SQLiteStore(path: path, logger: logger, observer: observer)
        case .postgres(let url): try PostgresStore(url: url, logger: logger, observer: observer)
        }
    }

    /// Makes the store and brings its schema up to date (or, with `migrate == false`, checks that it is):
    /// for commands that need the database at once. A database newer than this binary is refused with
    /// `StoreError.schemaTooNew`, one behind it (without migrating) with `StoreError.schemaBehind`.
    public static func open(databaseURL: String, migrate: Bool = true, observer: (any StoreObserver)? = nil,
                            logger: Logger) async throws -> any GazetteStore {
        let store = try make(databaseURL: databaseURL, observer: observer, logger: logger)
        do {
            try await store.prepareSchema(migrate: migrate)
        } catch {
            await store.shutdown()
            throw error
        }
        return store
    }
}
