import Foundation
import Hummingbird
import GazetteTestSupport
import NIOCore

/// A fake OpenAI-compatible server on 127.0.0.1 (random port) whose answers the test chooses.
struct FakeLLMServer {
    struct Reply: Sendable {
        var status: Int
        var body: String
        /// Hold the answer at the log's gate until the test ends (a server that never answers in time).
        var hang: Bool = false

        static func answer(_ content: String) -> Reply {
            let escaped = "\"" + content.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
            return Reply(status: 200, body: #"{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":\#(escaped)}}]}"#)
        }
    }

    /// What the server received; `gate` holds the hanging answers.
    actor Log {
        nonisolated let gate = Gate()
        var bodies: [String] = []
        var authorizations: [String?] = []
        func record(_ body: String, _ auth: String?) {
            bodies.append(body)
            authorizations.append(auth)
        }
    }

    /// Runs `body` with the server's base URL; `reply` answers the n-th request (0-based) given its body.
    static func with<T>(reply: @escaping @Sendable (Int, String) -> Reply,
                                  _ body: (URL, Log) async throws -> T) async throws -> T {
        let log = Log()
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 8 << 20)
            let text = String(buffer: buffer)
            let index = await log.bodies.count
            await log.record(text, request.headers[.authorization])
            let r = reply(index, text)
            if r.hang { await log.gate.wait() }
            return Response(status: .init(code: r.status), headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: r.body)))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
        let server = Task { try await app.run() }
        func stop() async {
            log.gate.release()
            server.cancel()
            _ = await server.result
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await stop()
            throw FakeServerError.noPort
        }
        do {
            let result = try await body(URL(string: "http://127.0.0.1:\(port)")!, log)
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }

    enum FakeServerError: Error { case noPort }
}
