import Foundation
import GazetteCore
import Logging
import PostgresNIO

/// The server store: PostgreSQL 15+ through a PostgresNIO `PostgresClient` connection pool.
///
/// The pool's `run()` is driven by a task the store starts and cancels in `shutdown()`.
public final class PostgresStore: GazetteStore {
    let client: PostgresClient
    let logger: Logger
    /// Host, port and database only: what error messages may say about where the database is.
    let location: String
    let url: DatabaseURL.PostgresURL
    private let runTask: Task<Void, Never>

    static let migrations = PostgresSchema.migrations
    /// Serializes concurrent `migrate()` calls from several processes.
    static let migrationLockKey: Int64 = 0x6761_7A65_7474_65

    public init(url: DatabaseURL.PostgresURL, logger: Logger, maximumConnections: Int = 20) throws {
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
        let client = PostgresClient(configuration: config, backgroundLogger: logger)
        self.client = client
        runTask = Task { await client.run() }
    }

    public convenience init(url: String, logger: Logger) throws {
        guard case .postgres(let parsed) = try DatabaseURL.parse(url) else {
            throw StoreError.invalidURL("not a postgres:// URL")
        }
        try self.init(url: parsed, logger: logger)
    }

    public func migrate() async throws {
        // A direct connection first: an unreachable server or a wrong password is reported at once with its
        // reason, instead of the pool retrying with backoff.
        try await PostgresDatabaseAdmin.withConnection(url, logger: logger) { conn in
            try await conn.query("SELECT 1", logger: self.logger)
        }
        let migrations = Self.migrations
        let supported = migrations.latestVersion
        let applied: [Int] = try await transaction("migrate") { conn in
            try await conn.query("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))", logger: self.logger)
            try await conn.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: self.logger)
            let current = try await Self.currentVersion(conn, logger: self.logger)
            guard current <= supported else { throw StoreError.schemaTooNew(found: current, supported: supported) }
            var done: [Int] = []
            for migration in migrations where migration.version > current {
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
        return try await PostgresRows.first(rows) { try $0.decode(Int.self) } ?? 0
    }

    public func schemaVersion() async throws -> Int {
        try await withConnection("schema version") { conn in
            let exists = try await conn.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: self.logger)
            guard try await PostgresRows.first(exists, { try $0.decode(Bool.self) }) == true else { return 0 }
            return try await Self.currentVersion(conn, logger: self.logger)
        }
    }

    /// Answers within `pingTimeout` even when the server is gone (the pool would otherwise keep retrying).
    public func ping() async throws {
        let location = location
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { () async throws -> Void in
                try await self.withConnection("ping") { conn -> Void in
                    try await conn.query("SELECT 1", logger: self.logger)
                }
            }
            group.addTask { () async throws -> Void in
                try await Task.sleep(for: Self.pingTimeout)
                throw StoreError.unavailable("postgres ping at \(location): no answer within \(Self.pingTimeout)")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    static let pingTimeout: Duration = .seconds(5)

    public func shutdown() async {
        runTask.cancel()
        await runTask.value
    }

    // MARK: Access helpers

    func withConnection<T: Sendable>(_ operation: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { conn in try await body(conn) }
        } catch {
            throw storeError(error, operation: operation)
        }
    }

    /// BEGIN … COMMIT on one pooled connection; any error rolls back and is rethrown as a `StoreError`.
    func transaction<T: Sendable>(_ operation: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection(operation) { conn in
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
}
