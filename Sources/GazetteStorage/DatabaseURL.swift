import Foundation
import GazetteCore

/// A parsed `GAZETTE_DATABASE_URL`: `sqlite:PATH` or `postgres://user:pass@host:port/db?sslmode=disable|prefer|require`.
///
/// Parsing errors never repeat the URL itself, because it may carry a password.
public enum DatabaseURL: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresURL)

    public struct PostgresURL: Sendable, Equatable {
        public enum TLSMode: String, Sendable, Equatable { case disable, prefer, require }
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        public var tls: TLSMode

        /// The same URL with the password masked, safe for logs.
        public var redacted: String {
            "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)?sslmode=\(tls.rawValue)"
        }
    }

    public static func parse(_ raw: String) throws(StoreError) -> DatabaseURL {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw .invalidURL("the database URL is empty; use sqlite:PATH or postgres://user:pass@host:port/db") }
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            // Accept sqlite:///abs/path and sqlite://rel as well as the plain sqlite:path form.
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw .invalidURL("sqlite: needs a file path, e.g. sqlite:./data/gazette.sqlite") }
            guard !path.contains("\0") else { throw .invalidURL("the sqlite path contains a NUL character") }
            return .sqlite(path: path)
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            return .postgres(try parsePostgres(text))
        }
        throw .invalidURL("unsupported scheme; use sqlite:PATH or postgres://user:pass@host:port/db")
    }

    private static func parsePostgres(_ text: String) throws(StoreError) -> PostgresURL {
        guard let components = URLComponents(string: text) else {
            throw .invalidURL("the postgres URL is malformed (special characters in the password must be percent-encoded)")
        }
        guard let host = components.host, !host.isEmpty else { throw .invalidURL("the postgres URL names no host") }
        guard let user = components.user?.removingPercentEncoding ?? components.user, !user.isEmpty else {
            throw .invalidURL("the postgres URL names no user (postgres://user:pass@host:port/db)")
        }
        let port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw .invalidURL("the postgres port \(port) is out of range") }
        let password = components.password.map { $0.removingPercentEncoding ?? $0 }
        var database = components.path
        if database.hasPrefix("/") { database.removeFirst() }
        database = database.removingPercentEncoding ?? database
        if database.isEmpty { database = user }
        var tls = PostgresURL.TLSMode.disable
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                switch item.value ?? "" {
                case "disable", "allow": tls = .disable
                case "prefer": tls = .prefer
                case "require", "verify-ca", "verify-full": tls = .require
                case let other: throw .invalidURL("unknown sslmode '\(other.prefix(32))' (use disable, prefer or require)")
                }
            default:
                throw .invalidURL("unknown postgres URL parameter '\(item.name.prefix(32))' (only sslmode is supported)")
            }
        }
        return PostgresURL(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }
}
