import Foundation
import GazetteCore
import GazetteStorage
import GazetteTestSupport
import Logging
import PostgresNIO

/// Whole throwaway databases on a test PostgreSQL server, for test suites and benchmarks that need a fresh,
/// isolated database each (`CREATE DATABASE t_<random>` … `DROP DATABASE … WITH (FORCE)`). Not part of any shipped
/// binary.
public enum TestDatabases {
    /// The server `make test` starts (`scripts/with-postgres.sh` sets `GAZETTE_TEST_POSTGRES_URL`).
    public static var postgresServerURL: String? {
        guard let url = ProcessInfo.processInfo.environment["GAZETTE_TEST_POSTGRES_URL"], !url.isEmpty else { return nil }
        return url
    }

    /// Whether PostgreSQL tests should run (`TestRequirement.postgres`: `make test` sets `GAZETTE_TEST_REQUIRE_POSTGRES=1`,
    /// then a missing server fails them instead of skipping them). Prints one SKIP line for `what` when they are skipped.
    public static func postgresEnabled(_ what: String) -> Bool {
        TestRequirement.postgres.enabled(for: "\(what) on PostgreSQL")
    }

    public struct NoPostgres: Error, CustomStringConvertible {
        public var description: String {
            "GAZETTE_TEST_POSTGRES_URL is not set although GAZETTE_TEST_REQUIRE_POSTGRES=1: the test PostgreSQL server did not start"
        }
    }

    /// The configured server, or `NoPostgres`.
    public static func requirePostgresServer() throws -> String {
        guard let url = postgresServerURL else { throw NoPostgres() }
        return url
    }

    /// A fresh database name, `<prefix>_<random hex>`.
    public static func freshName(_ prefix: String = "t") -> String {
        prefix + "_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
    }

    /// Creates `name` on the server `serverURL` points to and returns a URL for the new database
    /// (same credentials and TLS mode).
    public static func createDatabase(named name: String, serverURL: String, logger: Logger) async throws -> String {
        let server = try parse(serverURL)
        try validate(name)
        try await PostgresDirectConnection.with(server, logger: logger) { conn in
            try await conn.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \"\(name)\""), logger: logger)
        }
        var target = server
        target.database = name
        return url(target)
    }

    /// Drops `name`, disconnecting anyone still connected; a missing database is not an error.
    public static func dropDatabase(named name: String, serverURL: String, logger: Logger) async throws {
        let server = try parse(serverURL)
        try validate(name)
        try await PostgresDirectConnection.with(server, logger: logger) { conn in
            try await conn.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)"), logger: logger)
        }
    }

    /// Runs `body` with the URL of a fresh database on the test server, dropped afterwards whatever happens.
    public static func withPostgresDatabase<T>(prefix: String = "t", logger: Logger = Logger(label: "gazette.test.db"),
                                               _ body: (String) async throws -> T) async throws -> T {
        let server = try requirePostgresServer()
        let name = freshName(prefix)
        let url = try await createDatabase(named: name, serverURL: server, logger: logger)
        do {
            let result = try await body(url)
            try await dropDatabase(named: name, serverURL: server, logger: logger)
            return result
        } catch {
            try await dropDatabase(named: name, serverURL: server, logger: logger)
            throw error
        }
    }

    private static func parse(_ raw: String) throws -> DatabaseURL.PostgresURL {
        guard case .postgres(let server) = try DatabaseURL.parse(raw) else {
            throw StoreError.invalidURL("not a postgres:// URL")
        }
        return server
    }

    private static func validate(_ name: String) throws(StoreError) {
        let allowed = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        guard allowed, (1...63).contains(name.count), name.first?.isLetter == true else {
            throw .invalidInput(field: "database name", reason: "use 1–63 lowercase letters, digits and underscores, starting with a letter")
        }
    }

    private static func url(_ u: DatabaseURL.PostgresURL) -> String {
        let user = u.username.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? u.username
        let password = u.password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed) ?? $0) } ?? ""
        return "postgres://\(user)\(password)@\(u.host):\(u.port)/\(u.database)?sslmode=\(u.tls.rawValue)"
    }
}
