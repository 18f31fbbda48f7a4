import Foundation
import GazetteCore
import Logging
import PostgresNIO

/// One direct connection to a PostgreSQL server, outside the pool (no retries): for start-up checks, where an
/// unreachable server must be reported at once with its reason, and for administrative statements of test suites
/// and benchmarks (`GazetteStorageTesting`).
package enum PostgresDirectConnection {
    package static func with(_ u: DatabaseURL.PostgresURL, logger: Logger,
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

    /// The server's message, or the connection failure; never the URL or password.
    static func reason(_ error: any Error) -> String {
        guard let psql = error as? PSQLError else { return "\(type(of: error))" }
        if let message = psql.serverInfo?[.message] { return message }
        if let underlying = psql.underlying { return "\(psql.code): \(underlying)" }
        return "\(psql.code)"
    }
}
