import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Refuses user-supplied URLs whose host is, or resolves to, a loopback, private, link-local or otherwise
/// internal address (SSRF protection). The operator-configured Telegram preview base URL is not checked.
struct AddressPolicy: Sendable {
    var allowPrivate: Bool

    /// Throws `.forbiddenAddress` naming the first internal address the host resolves to.
    func check(_ url: URL) async throws(SourceError) {
        guard !allowPrivate else { return }
        guard let host = url.host(percentEncoded: false), !host.isEmpty else {
            throw .network(url: url.absoluteString, detail: "the URL has no host")
        }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if bare.lowercased() == "localhost" || bare.lowercased().hasSuffix(".localhost") {
            throw .forbiddenAddress(url: url.absoluteString, address: bare)
        }
        let addresses: [String]
        do {
            addresses = try await Self.resolve(bare)
        } catch {
            throw .network(url: url.absoluteString, detail: "cannot resolve \(bare): \(error.detail)")
        }
        if let bad = addresses.first(where: Self.isInternal) {
            throw .forbiddenAddress(url: url.absoluteString, address: bad)
        }
    }

    struct ResolveError: Error { let detail: String }

    /// getaddrinfo on a background thread (it blocks).
    static func resolve(_ host: String) async throws(ResolveError) -> [String] {
        let result: Result<[String], ResolveError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: resolveBlocking(host)) }
        }
        return try result.get()
    }

    private static func resolveBlocking(_ host: String) -> Result<[String], ResolveError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, nil, &hints, &list)
        guard rc == 0, let first = list else {
            return .failure(ResolveError(detail: gai_strerror(rc).map { String(cString: $0) } ?? "error \(rc)"))
        }
        defer { freeaddrinfo(first) }
        var out: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                out.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            cursor = info.pointee.ai_next
        }
        return out.isEmpty ? .failure(ResolveError(detail: "no addresses")) : .success(out)
    }

    /// Loopback, unspecified, private (RFC 1918, fc00::/7), link-local, CGNAT, multicast, and IPv4-mapped forms of those.
    static func isInternal(_ address: String) -> Bool {
        let a = address.split(separator: "%").first.map(String.init)?.lowercased() ?? address
        if let v4 = ipv4(a) { return internalV4(v4) }
        if a.hasPrefix("::ffff:"), let v4 = ipv4(String(a.dropFirst(7))) { return internalV4(v4) }
        if a == "::1" || a == "::" { return true }
        if a.hasPrefix("fc") || a.hasPrefix("fd") { return true }            // unique local
        if a.hasPrefix("fe8") || a.hasPrefix("fe9") || a.hasPrefix("fea") || a.hasPrefix("feb") { return true } // link-local
        if a.hasPrefix("ff") { return true }                                  // multicast
        return false
    }

    private static func ipv4(_ s: String) -> [UInt8]? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let bytes = parts.compactMap { UInt8($0) }
        return bytes.count == 4 ? bytes : nil
    }

    private static func internalV4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): true
        case (169, 254): true
        case (172, 16...31): true
        case (192, 168): true
        case (100, 64...127): true                                           // carrier-grade NAT
        case (224...255, _): true                                            // multicast, reserved, broadcast
        default: false
        }
    }
}
