import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `GET /metrics` is answered in the channel pipeline (`ScrapeFastPath`); these tests speak raw HTTP/1.1 to a real
/// server so that pipelined requests (several in one write) and connection handling are exercised exactly.
@Suite("Scrape fast path")
struct ScrapeFastPathTests {
    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await TestServer.with { server in
            let port = try #require(Int(server.baseURL.split(separator: ":").last ?? ""))
            // A scrape behind a router request must wait for it; one in front must not overtake what follows.
            let replies = try await RawHTTP.exchange(port: port, requests: ["/tools", "/metrics", "/health/live", "/metrics", "/tools"],
                                               expecting: 5)
            #expect(replies.map(\.status) == [200, 200, 200, 200, 200])
            #expect(replies[0].body.contains("\"tools\""))
            #expect(replies[1].body.contains("# TYPE http_requests_total counter"))
            #expect(replies[1].headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
            #expect(replies[2].body.contains("alive"))
            #expect(replies[3].body.contains("# TYPE http_requests_total counter"))
            #expect(replies[4].body.contains("\"tools\""))
        }
    }

    @Test func scrapesOnOneConnectionAreCountedLikeRoutedOnes() async throws {
        try await TestServer.with { server in
            let port = try #require(Int(server.baseURL.split(separator: ":").last ?? ""))
            let replies = try await RawHTTP.exchange(port: port, requests: ["/metrics", "/metrics", "/metrics"], expecting: 3)
            let counts = replies.map { Self.scrapeCount(in: $0.body) }
            // Each scrape is recorded once it is answered, so the n-th scrape shows n - 1 earlier ones.
            #expect(counts == [0, 1, 2])
            for reply in replies {
                #expect(reply.headers["content-length"] == String(reply.body.utf8.count))
            }
        }
    }

    @Test func connectionCloseTakesTheRouterAndCloses() async throws {
        try await TestServer.with { server in
            let port = try #require(Int(server.baseURL.split(separator: ":").last ?? ""))
            let replies = try await RawHTTP.exchange(port: port, requests: ["/metrics"], expecting: 1, extraHeader: "Connection: close",
                                               expectClose: true)
            #expect(replies.first?.status == 200)
            #expect(replies.first?.body.contains("# TYPE http_requests_total counter") == true)
        }
    }

    /// `http_requests_total{route="/metrics",method="GET",status="200"}`, 0 when absent.
    static func scrapeCount(in text: String) -> Int {
        for line in text.split(separator: "\n") where line.hasPrefix("http_requests_total{") && line.contains("route=\"/metrics\"")
            && line.contains("status=\"200\"") {
            return Int(Double(line.split(separator: " ").last ?? "") ?? -1)
        }
        return 0
    }
}

/// A blocking HTTP/1.1 client over one loopback socket: writes all requests at once, reads the replies in order.
enum RawHTTP {
    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs on a dispatch queue: a blocking `recv` on a thread of Swift's cooperative pool would starve the
    /// server's own handlers, which run on that pool, in the same test process.
    static func exchange(port: Int, requests: [String], expecting count: Int, extraHeader: String? = nil,
                         expectClose: Bool = false) async throws -> [Reply] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    try blockingExchange(port: port, requests: requests, expecting: count, extraHeader: extraHeader,
                                         expectClose: expectClose)
                })
            }
        }
    }

    private static func blockingExchange(port: Int, requests: [String], expecting count: Int, extraHeader: String?,
                                         expectClose: Bool) throws -> [Reply] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect: errno \(errno)") }
        let extra = extraHeader.map { "\($0)\r\n" } ?? ""
        let payload = Array(requests.map { "GET \($0) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(extra)\r\n" }.joined().utf8)
        guard payload.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, 0) }) == payload.count else {
            throw Failure(description: "short send")
        }

        var buffer: [UInt8] = []
        var replies: [Reply] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var closed = false
        while replies.count < count || (expectClose && !closed) {
            if let (reply, used) = parse(buffer), replies.count < count {
                replies.append(reply)
                buffer.removeFirst(used)
                continue
            }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { closed = true; if replies.count >= count { break }; throw Failure(description: "closed after \(replies.count) replies") }
            guard n > 0 else {
                throw Failure(description: "recv: errno \(errno) after \(replies.count) replies; unparsed: "
                              + String(decoding: buffer.prefix(300), as: UTF8.self).debugDescription)
            }
            buffer.append(contentsOf: chunk[0..<n])
        }
        return replies
    }

    /// One complete reply at the start of `bytes` (Content-Length framing) and the bytes it used.
    private static func parse(_ bytes: [UInt8]) -> (Reply, Int)? {
        guard bytes.count >= 4,
              let headEnd = (0...(bytes.count - 4)).first(where: { bytes[$0..<$0 + 4].elementsEqual([13, 10, 13, 10]) })
        else { return nil }
        let head = String(decoding: bytes[0..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        guard let statusLine = head.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = headEnd + 4
        guard bytes.count >= bodyStart + length else { return nil }
        return (Reply(status: status, headers: headers, body: String(decoding: bytes[bodyStart..<bodyStart + length], as: UTF8.self)),
                bodyStart + length)
    }
}
