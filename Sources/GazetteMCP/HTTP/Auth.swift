import Foundation
import GazetteCore
import Hummingbird
import HTTPTypes
import Synchronization

/// Bearer-token check for `/mcp`, `/tools` and `/call` when `GAZETTE_API_TOKEN` or `GAZETTE_API_TOKENS_FILE` is set.
/// A request's token names its caller: the single API token and file tokens marked `admin` act for any user, a user's
/// token only for that user. Tokens are compared in constant time and never logged.
struct BearerAuth: Sendable {
    let admin: [UInt8]?
    let file: TokenFileWatcher?

    init?(_ secret: Secret?, tokensFile: String? = nil) {
        let admin = secret.flatMap { $0.value.isEmpty ? nil : Array($0.value.utf8) }
        guard admin != nil || tokensFile != nil else { return nil }
        self.admin = admin
        self.file = tokensFile.map(TokenFileWatcher.init(path:))
    }

    /// The caller a request's token belongs to; nil when the token is missing or unknown.
    func caller(_ request: Request) -> Caller? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return caller(token: Array(parts[1].trimmingCharacters(in: .whitespaces).utf8))
    }

    func caller(token given: [UInt8]) -> Caller? {
        // Every known token is compared in full, so the time taken does not tell which one (or how much of it) matched.
        var found: Caller?
        if let admin, Self.constantTimeEquals(given, admin) { found = .admin }
        for entry in file?.entries() ?? [] where Self.constantTimeEquals(given, entry.token) {
            found = found ?? entry.caller
        }
        return found
    }

    func isAuthorized(_ request: Request) -> Bool { caller(request) != nil }

    /// Compares in time that depends only on the expected token's length, never on where the bytes differ.
    static func constantTimeEquals(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt64(given.count ^ expected.count)
        for i in 0..<expected.count {
            let g = i < given.count ? given[i] : 0
            difference |= UInt64(g ^ expected[i])
        }
        return difference == 0
    }

    static var unauthorized: Response {
        JSONResponse.error(
        .unauthorized, code: "unauthorized", message: "missing or invalid bearer token (Authorization: Bearer <GAZETTE_API_TOKEN>)",
            headers: [.wwwAuthenticate: #"Bearer realm="gazette""#])
    }
}

/// The token file, reread when its modification time or size changes (so `gazette tokens revoke` takes effect
/// without a restart). A file that became unreadable or invalid keeps no tokens valid until it is fixed.
final class TokenFileWatcher: Sendable {
    struct Token: Sendable {
        let token: [UInt8]
        let caller: Caller
    }

    private struct State {
        var stamp: [String]?
        var tokens: [Token] = []
    }

    let path: String
    private let state = Mutex(State())

    init(path: String) {
        self.path = path
    }

    func entries() -> [Token] {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let stamp = [(attributes?[.modificationDate] as? Date).map { "\($0.timeIntervalSince1970)" } ?? "-",
                     (attributes?[.size] as? NSNumber).map { "\($0)" } ?? "-"]
        return state.withLock { state in
            if state.stamp != stamp {
                state.stamp = stamp
                let loaded = try? APITokenFile.load(path: path)
                state.tokens = (loaded ?? []).map { Token(token: Array($0.token.utf8), caller: $0.caller) }
            }
            return state.tokens
        }
    }
}

/// DNS-rebinding protection for `/mcp` (MCP spec, Streamable HTTP "Security Warning"): a browser `Origin` must be
/// a loopback origin or one configured as allowed; when the server is bound to loopback, the Host must be loopback too.
struct OriginPolicy: Sendable {
    let allowedOrigins: Set<String>
    let loopbackBound: Bool

    static let loopbackHosts: Set<String> = ["localhost", "127.0.0.1", "[::1]", "::1"]

    init(host: String, allowedOrigins: [String]) {
        self.allowedOrigins = Set(allowedOrigins.map { $0.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "/")) })
        self.loopbackBound = Self.isLoopback(host)
    }

    static func isLoopback(_ host: String) -> Bool {
        loopbackHosts.contains(host.lowercased()) || host.hasPrefix("127.")
    }

    /// Returns an error response when the request must be refused.
    func check(origin: String?, authority: String?) -> Response? {
        if loopbackBound, let authority, !Self.isLoopback(Self.hostPart(authority)) {
            return JSONResponse.error(.misdirectedRequest, code: "host_not_allowed",
                                      message: "Host '\(ToolError.shorten(authority))' is not a loopback name")
        }
        guard let origin else { return nil }  // non-browser clients send no Origin
        let lowered = origin.lowercased()
        if allowedOrigins.contains(lowered) { return nil }
        if let url = URL(string: lowered), let scheme = url.scheme, ["http", "https"].contains(scheme),
           let host = url.host, Self.isLoopback(host) {
            return nil
        }
        return JSONResponse.error(.forbidden, code: "origin_not_allowed",
                                  message: "Origin '\(ToolError.shorten(origin))' is not allowed")
    }

    /// `host:port`, `[::1]:port` → host.
    static func hostPart(_ authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[...close])
        }
        return String(authority.split(separator: ":", maxSplits: 1).first ?? "")
    }
}
