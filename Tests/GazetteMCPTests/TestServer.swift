import AsyncHTTPClient
import Foundation
import GazetteCore
import GazetteDigest
import GazetteMetrics
import GazetteSources
import GazetteObservability
import GazetteStorage
import Hummingbird
import Logging
import MCP
import NIOCore
import NIOHTTP1
import ServiceLifecycle
@testable import GazetteMCP

/// A real Gazette HTTP server on a random loopback port with a real SQLite store in a temp dir.
struct TestServer: Sendable {
    let baseURL: String
    let store: any GazetteStore
    let registry: ToolRegistry
    let observability: Observability

    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// Runs `body` against a started server, then stops it and removes the database.
    /// With `previewBaseURL` the tools use the production services (sources, summarizer, PDF renderer) against that
    /// fake t.me; otherwise the small stand-ins of TestDoubles.swift.
    static func with<T: Sendable>(token: String? = nil, tokensFile: String? = nil, fetcher: (any ChannelFetcher)? = nil, previewBaseURL: URL? = nil,
                                  clock: any GazetteClock = SystemClock(),
                                  _ body: @Sendable (TestServer) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-mcp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }  // best-effort cleanup of a temp dir
        let store = try await StoreFactory.open(databaseURL: "sqlite:\(dir.path)/test.sqlite", logger: logger)
        try await store.migrate()
        let observability = Observability()
        var live: Sources?
        let context: ToolContext
        if let previewBaseURL {
            // The production services (as GazetteApp assembles them) against the fake t.me.
            var settings = SourceSettings()
            settings.previewBaseURL = previewBaseURL
            settings.maxPages = 2
            let sources = Sources(settings: settings, metrics: SourceMetrics(registry: observability.registry), logger: logger)
            live = sources
            let digest = DigestService(store: store, summarizer: ExtractiveSummarizer(),
                                       renderer: MeteredRenderer(metrics: PDFMetrics(registry: observability.registry)),
                                       options: DigestOptions(), logger: logger)
            context = ToolContext(store: store, fetcher: SourcesFetcher(sources: sources, maxPages: settings.maxPages), digest: digest)
        } else {
            context = ToolContext(store: store, fetcher: fetcher ?? FixtureFetcher(), digest: TestDigest(), clock: clock)
        }
        let registry = ToolRegistry(context: context, metrics: MCPMetrics(registry: observability.registry, toolNames: GazetteTools.all.map(\.name)))
        observability.health.registerDatabaseCheck(store)
        let deps = ServerDependencies(registry: registry, observability: observability, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try GazetteServer.buildApplication(
            options: HTTPServerOptions(host: "127.0.0.1", port: 0, apiToken: token.map(Secret.init), apiTokensFile: tokensFile),
            dependencies: deps, onRunning: { port in continuation.yield(port) })
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestFailure("server did not start") }
            let server = TestServer(baseURL: "http://127.0.0.1:\(port)", store: store, registry: registry, observability: observability)
            do {
                let result = try await body(server)
                group.cancelAll()
                await live?.shutdown()
                await store.shutdown()
                return result
            } catch {
                group.cancelAll()
                await live?.shutdown()
                await store.shutdown()
                throw error
            }
        }
    }

    struct Reply: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: Data
        var json: Value? {
            do { return try JSONDecoder().decode(Value.self, from: body) } catch { return nil }
        }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func request(_ method: HTTPMethod, _ path: String, body: Data? = nil, headers: [(String, String)] = []) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Data(buffer: bytes))
    }

    /// `POST /call` with a JSON value.
    func call(_ tool: String, _ arguments: Value, headers: [(String, String)] = []) async throws -> Reply {
        let body: Value = ["tool_name": .string(tool), "arguments": arguments]
        return try await request(.POST, "/call", body: try JSONEncoder().encode(body), headers: headers)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Value {
    subscript(key: String) -> Value? { objectValue?[key] }
}
