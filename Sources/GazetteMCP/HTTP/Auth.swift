import Foundation
import GazetteCore
import Hummingbird
import HTTPTypes

/// Bearer-token check for `/mcp`, `/tools` and `/call` when `GAZETTE_API_TOKEN` is set.
struct BearerAuth: Sendable {
    let token: [UInt8]

    init?(_ secret: Secret?) {
        guard let secret, !secret.value.isEmpty else { return nil }
        token = Array(secret.value.utf8)
    }

    func isAuthorized(_ request: Request) -> Bool {
        guard let header = request.headers[.authorization] else { return false }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
        return Self.constantTimeEquals(Array(parts[1].trimmingCharacters(in: .whitespaces).utf8), token)
    }

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
