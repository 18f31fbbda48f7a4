import Foundation
import Hummingbird
import Logging

/// A Hummingbird server on 127.0.0.1 and a free port, running for the duration of `body`: the stand-in for
/// Telegram, feeds and LLM APIs in tests (nothing but loopback is ever contacted).
public enum FakeServer {
    public static func run<T: Sendable>(_ router: Router<BasicRequestContext>,
                                 _ body: @Sendable (URL) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "fake-server")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in
                                  continuation.yield(channel.localAddress?.port ?? 0)
                                  continuation.finish()
                              }, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                group.cancelAll()
                throw FakeServerError.didNotStart
            }
            do {
                let result = try await body(URL(string: "http://127.0.0.1:\(port)")!)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    public enum FakeServerError: Error { case didNotStart }

    public static func html(_ s: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: s)))
    }
}

/// Counts what a fake server saw, safely from concurrent handlers.
public actor RequestLog {
    public private(set) var paths: [String] = []
    public private(set) var inFlight = 0
    public private(set) var maxInFlight = 0
    public private(set) var headers: [[String: String]] = []

    public init() {}

    public func record(_ path: String, headers h: [String: String] = [:]) {
        paths.append(path)
        headers.append(h)
    }
    public func enter() {
        inFlight += 1
        maxInFlight = max(maxInFlight, inFlight)
    }
    public func leave() { inFlight -= 1 }
}

/// Loopback ports for processes a test starts itself.
public enum FreePort {
    /// A port nobody listens on right now (bind to 0, read it back, close).
    public static func next() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
