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
    let observer: (any StoreObserver)?
    public let path: String
    /// False only in the ingest benchmark's reference run: posts are saved without their search index.
    let searchIndexing: Bool

    static let migrations = GazetteSchema.migrations(.sqlite)
    public var supportedSchemaVersion: Int { Self.migrations.latestVersion }
    /// The tables of the schema steps after `version` (to put a database back to it: upgrade tests, benchmarks).
    public static func tablesCreated(after version: Int) -> [String] { migrations.tablesCreated(after: version) }

    /// Opens (creating the file and its directory when missing) without migrating; call `migrate()` or
    /// `prepareSchema(migrate:)`. Failed database operations are reported to `observer`.
    public convenience init(path: String, logger: Logger, observer: (any StoreObserver)? = nil, busyTimeout: TimeInterval = 10) throws {
        try self.init(path: path, logger: logger, observer: observer, busyTimeout: busyTimeout, searchIndexing: true)
    }

    /// `searchIndexing: false` saves posts without indexing them: the reference of the ingest benchmark, never a product path.
    package init(path: String, logger: Logger, observer: (any StoreObserver)?, busyTimeout: TimeInterval, searchIndexing: Bool) throws {
        self.path = path
        self.searchIndexing = searchIndexing
        self.logger = logger
        self.observer = observer
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.unavailable("cannot create the database directory \(directory): \(error.localizedDescription)")
        }
        var config = Configuration()
        // Readers are short (a fetch state, a page of posts): three connections serve a worker's eight channel tasks
        // and a server's requests, and each connection's page cache is its own memory.
        config.maximumReaderCount = 3
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(busyTimeout)
        config.label = "gazette"
        config.prepareDatabase { db in
            // WAL makes a commit durable at checkpoint time; NORMAL is the usual pairing and keeps batches fast.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 1 MiB of page cache per connection instead of SQLite's 2 MiB: the OS page cache holds the file anyway,
            // and a worker over 10,000 channels touches far more pages than any cache keeps (docs/BENCHMARKS.md).
            try db.execute(sql: "PRAGMA cache_size = -1024")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw Self.storeError(error, operation: "open \(path)")
        }
    }

    /// Applies pending migrations, then indexes the posts stored before the search index existed
    /// (`buildSearchIndex`).
    public func migrate() async throws {
        try await migrate(through: .max)
        try await buildSearchIndex()
    }

    /// Applies pending migrations up to `version` (tests build an older schema this way to test the upgrade).
    func migrate(through version: Int) async throws {
        let applied: [Int] = try await write("migrate", kind: .migrate) { db in
            try db.execute(sql: SQLDialect.sqlite.migrationsTable)
            let current = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(version), 0) FROM schema_migrations") ?? 0
            var done: [Int] = []
            for migration in try Self.migrations.pending(after: current) where migration.version <= version {
                for statement in migration.statements { try db.execute(sql: statement) }
                try db.execute(sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                               arguments: [migration.version, migration.name, Date().unixSeconds])
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
        _ = try await read("ping", kind: .ping) { db in try Int.fetchOne(db, sql: "SELECT 1") }
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
    package func write<T: Sendable>(_ operation: String, kind: StoreOperation = .write,
                            _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
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
            let mapped = Self.storeError(error, operation: operation)
            StoreFailure.report(mapped, kind, to: observer)
            throw mapped
        }
    }

    func read<T: Sendable>(_ operation: String, kind: StoreOperation = .read,
                           _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            let mapped = Self.storeError(error, operation: operation)
            StoreFailure.report(mapped, kind, to: observer)
            throw mapped
        }
    }

    static func storeError(_ error: any Error, operation: String) -> any Error {
        if error is StoreError || error is CancellationError { return error }
        if let db = error as? DatabaseError {
            return StoreError.unavailable("sqlite \(operation): \(db.message ?? "\(db.resultCode)")")
        }
        return StoreError.unavailable("sqlite \(operation): \(error)")
    }

    /// Throws `channelNotFound` unless the channel exists (inside a write, before anything is written).
    static func requireChannel(_ db: Database, _ channelID: Int64) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM channels WHERE id = ?", arguments: [channelID]) == true else {
            throw StoreError.channelNotFound(channelID)
        }
    }
}

/// A GRDB row read through `StoredRow`. Dates are REAL unix seconds.
struct SQLiteRow: StoredRow {
    let row: Row
    init(_ row: Row) { self.row = row }

    func int64(_ column: String) throws -> Int64? { try row.decode(Int64?.self, forColumn: column) }
    func string(_ column: String) throws -> String? { try row.decode(String?.self, forColumn: column) }
    func date(_ column: String) throws -> Date? { try row.decode(Double?.self, forColumn: column).map { Date(unixSeconds: $0) } }
    func bool(_ column: String) throws -> Bool? { try row.decode(Bool?.self, forColumn: column) }
    func bytes(_ column: String) throws -> Data? { try row.decode(Data?.self, forColumn: column) }
    func double(_ column: String) throws -> Double? { try row.decode(Double?.self, forColumn: column) }
}

extension Row {
    /// This row decoded by one of `RowDecoding`'s conversions.
    func decoded<T>(_ conversion: (SQLiteRow) throws -> T) throws -> T { try conversion(SQLiteRow(self)) }
}

extension Date {
    /// SQLite stores dates as REAL unix seconds.
    package var unixSeconds: Double { timeIntervalSince1970 }
    init(unixSeconds: Double) { self.init(timeIntervalSince1970: unixSeconds) }
}
