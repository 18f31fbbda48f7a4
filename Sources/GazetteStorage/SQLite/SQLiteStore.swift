import Foundation
import GazetteCore
import GRDB
import Logging

/// The embedded store: one SQLite file in WAL mode through a GRDB `DatabasePool`
/// (one writer, concurrent readers). All writes use `BEGIN IMMEDIATE` so a second process waits on the
/// busy timeout instead of failing half-way.
public final class SQLiteStore: GazetteStore {
    let pool: DatabasePool
    let logger: Logger
    public let path: String

    static let migrations = SQLiteSchema.migrations

    /// Opens (creating the file and its directory when missing) without migrating; call `migrate()`.
    public init(path: String, logger: Logger, busyTimeout: TimeInterval = 10) throws {
        self.path = path
        self.logger = logger
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.unavailable("cannot create the database directory \(directory): \(error.localizedDescription)")
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(busyTimeout)
        config.label = "gazette"
        config.prepareDatabase { db in
            // WAL makes a commit durable at checkpoint time; NORMAL is the usual pairing and keeps batches fast.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw Self.storeError(error, operation: "open \(path)")
        }
    }

    public func migrate() async throws {
        let migrations = Self.migrations
        let supported = migrations.latestVersion
        let applied: [Int] = try await write("migrate") { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at REAL NOT NULL)
                """)
            let current = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(version), 0) FROM schema_migrations") ?? 0
            guard current <= supported else { throw StoreError.schemaTooNew(found: current, supported: supported) }
            var done: [Int] = []
            for migration in migrations where migration.version > current {
                for statement in migration.statements { try db.execute(sql: statement) }
                try db.execute(sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                               arguments: [migration.version, migration.name, Date().timeIntervalSince1970])
                done.append(migration.version)
            }
            return done
        }
        if !applied.isEmpty {
            logger.info("database migrated", metadata: ["store": "sqlite", "versions": "\(applied)"])
        }
    }

    public func schemaVersion() async throws -> Int {
        try await read("schema version") { db in
            guard try db.tableExists("schema_migrations") else { return 0 }
            return try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(version), 0) FROM schema_migrations") ?? 0
        }
    }

    public func ping() async throws {
        _ = try await read("ping") { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func shutdown() async {
        do {
            try pool.close()
        } catch {
            logger.warning("closing the SQLite database failed", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Access helpers

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction; any thrown error rolls everything back.
    func write<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                guard let result else { throw StoreError.unavailable("\(operation): transaction produced no result") }
                return result
            }
        } catch {
            throw Self.storeError(error, operation: operation)
        }
    }

    func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw Self.storeError(error, operation: operation)
        }
    }

    static func storeError(_ error: any Error, operation: String) -> any Error {
        if error is StoreError { return error }
        if let db = error as? DatabaseError {
            return StoreError.unavailable("sqlite \(operation): \(db.message ?? "\(db.resultCode)")")
        }
        if error is CancellationError { return error }
        return StoreError.unavailable("sqlite \(operation): \(error)")
    }
}

extension Date {
    /// SQLite stores dates as REAL unix seconds.
    var unixSeconds: Double { timeIntervalSince1970 }
    init(unixSeconds: Double) { self.init(timeIntervalSince1970: unixSeconds) }
}
