import Foundation
import GazetteCore
import Logging
import PostgresNIO

/// The server store: PostgreSQL 15+ through a PostgresNIO `PostgresClient` connection pool.
///
/// The pool's `run()` is driven by a task the store starts and cancels in `shutdown()`. Creating the store does not
/// connect: a process can start while the server is down (`ping()` and `migrate()` say when it answers).
public final class PostgresStore: GazetteStore {
    let client: PostgresClient
    package let logger: Logger
    let observer: (any StoreObserver)?
    /// Host, port and database only: what error messages may say about where the database is.
    let location: String
    let url: DatabaseURL.PostgresURL
    /// False only in the ingest benchmark's reference run: posts are saved without their search index.
    let searchIndexing: Bool
    private let runTask: Task<Void, Never>

    static let migrations = GazetteSchema.migrations(.postgres)
    public var supportedSchemaVersion: Int { Self.migrations.latestVersion }
    /// The tables of the schema steps after `version` (to put a database back to it: upgrade tests, benchmarks).
    public static func tablesCreated(after version: Int) -> [String] { migrations.tablesCreated(after: version) }
    /// Serializes concurrent `migrate()` calls from several processes.
    static let migrationLockKey: Int64 = 0x6761_7A65_7474_65

    public convenience init(url: DatabaseURL.PostgresURL, logger: Logger, observer: (any StoreObserver)? = nil, maximumConnections: Int = 20) throws {
        try self.init(url: url, logger: logger, observer: observer, maximumConnections: maximumConnections, searchIndexing: true)
    }

    /// `searchIndexing: false` saves posts without indexing them: the reference of the ingest benchmark, never a product path.
    package init(url: DatabaseURL.PostgresURL, logger: Logger, observer: (any StoreObserver)?, maximumConnections: Int,
                 searchIndexing: Bool) throws {
        self.searchIndexing = searchIndexing
        let tls: PostgresClient.Configuration.TLS
        switch url.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(.makeClientConfiguration())
        case .require: tls = .require(.makeClientConfiguration())
        }
        var config = PostgresClient.Configuration(host: url.host, port: url.port, username: url.username,
                                                  password: url.password, database: url.database, tls: tls)
        config.options.maximumConnections = maximumConnections
        config.options.connectTimeout = .seconds(5)
        self.location = "\(url.host):\(url.port)/\(url.database)"
        self.url = url
        self.logger = logger
        self.observer = observer
        let client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.client = client
        runTask = Task { await client.run() }
    }

    public convenience init(url: String, logger: Logger, observer: (any StoreObserver)? = nil) throws {
        guard case .postgres(let parsed) = try DatabaseURL.parse(url) else {
            throw StoreError.invalidURL("not a postgres:// URL")
        }
        try self.init(url: parsed, logger: logger, observer: observer)
    }

    /// Applies pending migrations, then indexes the posts stored before the search index existed
    /// (`buildSearchIndex`).
    public func migrate() async throws {
        try await migrate(through: .max)
        try await buildSearchIndex()
    }

    /// Applies pending migrations up to `version` (tests build an older schema this way to test the upgrade).
    func migrate(through version: Int) async throws {
        // A direct connection first: an unreachable server or a wrong password is reported at once with its
        // reason, instead of the pool retrying with backoff.
        try await probe(.migrate)
        let migrations = Self.migrations
        let applied: [Int] = try await transaction("migrate", kind: .migrate) { conn in
            try await conn.query("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))", logger: self.logger)
            try await conn.query(PostgresQuery(unsafeSQL: SQLDialect.postgres.migrationsTable), logger: self.logger)
            var done: [Int] = []
            for migration in try migrations.pending(after: try await Self.currentVersion(conn, logger: self.logger))
                where migration.version <= version {
                for statement in migration.statements {
                    try await conn.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                try await conn.query("INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                                     logger: self.logger)
                done.append(migration.version)
            }
            return done
        }
        if !applied.isEmpty {
            logger.info("database migrated", metadata: ["store": "postgres", "versions": "\(applied)"])
        }
    }

    static func currentVersion(_ conn: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await conn.query("SELECT COALESCE(MAX(version), 0)::bigint FROM schema_migrations", logger: logger)
        return try await rows.first { try $0.decode(Int.self) } ?? 0
    }

    public func schemaVersion() async throws -> Int {
        try await probe(.read)
        return try await read("schema version") { conn in
            let exists = try await conn.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: self.logger)
            guard try await exists.first({ try $0.decode(Bool.self) }) == true else { return 0 }
            return try await Self.currentVersion(conn, logger: self.logger)
        }
    }

    /// Through the pool, answering within `pingTimeout` even when the server is gone (the pool would otherwise
    /// keep retrying): readiness checks call it often, and a fresh connection would start a server process each time.
    public func ping() async throws {
        let location = location
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { () async throws -> Void in
                    try await self.client.withConnection { conn -> Void in try await conn.query("SELECT 1", logger: self.logger) }
                }
                group.addTask { () async throws -> Void in
                    try await Task.sleep(for: Self.pingTimeout)
                    throw StoreError.unavailable("postgres ping at \(location): no answer within \(Self.pingTimeout)")
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        } catch {
            let mapped = storeError(error, operation: "ping")
            StoreFailure.report(mapped, .ping, to: observer)
            throw mapped
        }
    }

    static let pingTimeout: Duration = .seconds(5)

    /// One direct connection (not the pool), used before migrating or reading the schema version at start-up: an
    /// unreachable server, an unknown database or a wrong password is reported at once with its reason.
    private func probe(_ kind: StoreOperation) async throws {
        do {
            try await PostgresDirectConnection.with(url, logger: logger) { conn in
                try await conn.query("SELECT 1", logger: self.logger)
            }
        } catch {
            StoreFailure.report(error, kind, to: observer)
            throw error
        }
    }

    public func shutdown() async {
        runTask.cancel()
        await runTask.value
    }

    // MARK: Access helpers

    /// A pooled connection for reading.
    func read<T: Sendable>(_ operation: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection(operation, kind: .read, body)
    }

    /// A pooled connection for one writing statement (autocommit).
    package func write<T: Sendable>(_ operation: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection(operation, kind: .write, body)
    }

    /// BEGIN … COMMIT on one pooled connection; any error rolls back and is rethrown as a `StoreError`.
    package func transaction<T: Sendable>(_ operation: String, kind: StoreOperation = .write,
                                  _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection(operation, kind: kind) { conn in
            try await conn.query("BEGIN", logger: self.logger)
            do {
                let result = try await body(conn)
                try await conn.query("COMMIT", logger: self.logger)
                return result
            } catch {
                do {
                    try await conn.query("ROLLBACK", logger: self.logger)
                } catch let rollbackError {
                    self.logger.warning("rollback failed", metadata: ["operation": "\(operation)", "error": "\(self.storeError(rollbackError, operation: "rollback"))"])
                }
                throw error
            }
        }
    }

    private func withConnection<T: Sendable>(_ operation: String, kind: StoreOperation,
                                             _ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { conn in try await body(conn) }
        } catch {
            let mapped = storeError(error, operation: operation)
            StoreFailure.report(mapped, kind, to: observer)
            throw mapped
        }
    }

    /// Server messages and error codes, never the URL or password.
    func storeError(_ error: any Error, operation: String) -> any Error {
        if error is StoreError || error is CancellationError { return error }
        if let psql = error as? PSQLError {
            if let info = psql.serverInfo, let message = info[.message] {
                return StoreError.unavailable("postgres \(operation): \(message) (SQLSTATE \(info[.sqlState] ?? "?"))")
            }
            var reason = "postgres \(operation) at \(location): \(psql.code)"
            if let underlying = psql.underlying { reason += " (\(underlying))" }
            return StoreError.unavailable(reason)
        }
        return StoreError.unavailable("postgres \(operation) at \(location): \(String(describing: type(of: error)))")
    }

    /// Throws `channelNotFound` unless the channel exists; locks it against deletion until the transaction ends.
    func requireChannel(_ conn: PostgresConnection, _ channelID: Int64) async throws {
        let rows = try await conn.query("SELECT 1 FROM channels WHERE id = \(channelID) FOR SHARE", logger: logger)
        guard try await rows.first({ _ in true }) == true else { throw StoreError.channelNotFound(channelID) }
    }
}

/// A PostgresNIO row read through `StoredRow`.
struct PostgresStoredRow: StoredRow {
    let row: PostgresRandomAccessRow
    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    func int64(_ column: String) throws -> Int64? { try row[column].decode(Int64?.self) }
    func string(_ column: String) throws -> String? { try row[column].decode(String?.self) }
    func date(_ column: String) throws -> Date? { try row[column].decode(Date?.self) }
    func bool(_ column: String) throws -> Bool? { try row[column].decode(Bool?.self) }
    func bytes(_ column: String) throws -> Data? { try row[column].decode(Data?.self) }
    func double(_ column: String) throws -> Double? { try row[column].decode(Double?.self) }
}

extension PostgresRowSequence {
    /// Every row through `transform`.
    func all<T>(_ transform: (PostgresRow) throws -> T) async throws -> [T] {
        var out: [T] = []
        for try await row in self { out.append(try transform(row)) }
        return out
    }

    /// The first row through `transform`; the rest is drained so the connection is handed back clean.
    func first<T>(_ transform: (PostgresRow) throws -> T) async throws -> T? {
        var found: T?
        for try await row in self where found == nil { found = try transform(row) }
        return found
    }

    /// Every row decoded by one of `RowDecoding`'s conversions.
    func decoded<T>(_ conversion: (PostgresStoredRow) throws -> T) async throws -> [T] {
        try await all { try conversion(PostgresStoredRow($0)) }
    }

    func firstDecoded<T>(_ conversion: (PostgresStoredRow) throws -> T) async throws -> T? {
        try await first { try conversion(PostgresStoredRow($0)) }
    }
}
