import Foundation
import GazetteCore
import Logging
import PostgresNIO

/// Creates and drops whole databases on a server, for test suites and benchmarks that need a fresh,
/// isolated database each (`CREATE DATABASE t_<random>` … `DROP DATABASE … WITH (FORCE)`).
public enum PostgresDatabaseAdmin {
    /// Creates `name` on the server `serverURL` points to and returns a URL for the new database
    /// (same credentials and TLS mode).
    public static func createDatabase(named name: String, serverURL: String, logger: Logger) async throws -> String {
        let server = try parse(serverURL)
        try validate(name)
        try await withConnection(server, logger: logger) { conn in
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
        try await withConnection(server, logger: logger) { conn in
            try await conn.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)"), logger: logger)
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

    /// The server's message, or the connection failure; never the URL or password.
    static func reason(_ error: any Error) -> String {
        guard let psql = error as? PSQLError else { return "\(type(of: error))" }
        if let message = psql.serverInfo?[.message] { return message }
        if let underlying = psql.underlying { return "\(psql.code): \(underlying)" }
        return "\(psql.code)"
    }

    private static func url(_ u: DatabaseURL.PostgresURL) -> String {
        let user = u.username.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? u.username
        let password = u.password.map { ":" + ($0.addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed) ?? $0) } ?? ""
        return "postgres://\(user)\(password)@\(u.host):\(u.port)/\(u.database)?sslmode=\(u.tls.rawValue)"
    }

    /// One direct connection (no pool, no retries) for administrative statements and start-up checks.
    static func withConnection(_ u: DatabaseURL.PostgresURL, logger: Logger,
                                       _ body: (PostgresConnection) async throws -> Void) async throws {
        let tls: PostgresConnection.Configuration.TLS
        switch u.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        let config = PostgresConnection.Configuration(host: u.host, port: u.port, username: u.username,
                                                      password: u.password, database: u.database, tls: tls)
        let location = "\(u.host):\(u.port)/\(u.database)"
        let conn: PostgresConnection
        do {
            conn = try await PostgresConnection.connect(configuration: config, id: 1, logger: logger)
        } catch {
            throw StoreError.unavailable("cannot connect to postgres at \(location): \(Self.reason(error))")
        }
        do {
            try await body(conn)
        } catch {
            try await conn.close()
            if let psql = error as? PSQLError, let message = psql.serverInfo?[.message] {
                throw StoreError.unavailable("postgres at \(location): \(message)")
            }
            throw error
        }
        try await conn.close()
    }
}
