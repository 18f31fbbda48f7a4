import AsyncHTTPClient
import Foundation
import GazetteApp
import GazetteCore
import GazetteStorage
import GazetteTestSupport
import Logging
import NIOCore
import Testing

@Suite("gazette run")
struct AllInOneTests {
    @Test("server, worker and tools run in one process with one /metrics")
    func allInOne() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-app-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var config = Config()
        config.databaseURL = "sqlite:\(dir.path)/gazette.sqlite"
        config.port = 0
        config.telegramPreviewBaseURL = URL(string: "http://127.0.0.1:9")!
        let logger = Logger(label: "test.app")
        let store = try await StoreFactory.open(databaseURL: config.databaseURL, logger: logger)
        try await store.migrate()
        _ = try await store.subscribe(userID: 7, ref: .telegram(username: "durov"), tags: [])

        let ready = AsyncStream<AllInOne.Endpoints>.makeStream()
        let running = Task {
            try await AllInOne.run(config: config, store: store, insecureNoAuth: false, logger: logger) { ready.continuation.yield($0) }
        }
        var iterator = ready.stream.makeAsyncIterator()
        let endpoints = try #require(await iterator.next())
        #expect(!endpoints.botEnabled)
        let banner = AllInOne.banner(endpoints, config: config)
        #expect(banner.contains("\(endpoints.baseURL)/mcp"))
        #expect(banner.contains("gazette channels add"))

        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        func get(_ path: String) async throws -> (Int, String) {
            let response = try await client.execute(HTTPClientRequest(url: endpoints.baseURL + path), timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 4 << 20)
            return (Int(response.status.code), String(buffer: body))
        }
        // The worker's first pass runs at start (the unreachable source fails that channel, not the process).
        var metrics = ""
        #expect(try await eventually(timeout: .seconds(30)) {
            metrics = try await get("/metrics").1
            return metrics.contains("post_fetcher_channels_processed_total 1")
        })
        #expect(metrics.contains("post_fetcher_worker_running"))
        #expect(metrics.contains("mcp_tool_calls_total"))
        #expect(metrics.contains("gazette_build_info"))
        #expect(try await get("/health/live").0 == 200)

        var call = HTTPClientRequest(url: endpoints.baseURL + "/call")
        call.method = .POST
        call.headers.add(name: "Content-Type", value: "application/json")
        call.body = .bytes(ByteBuffer(string: #"{"tool_name": "list_channels", "arguments": {"user_id": 7}}"#))
        let response = try await client.execute(call, timeout: .seconds(10))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        #expect(response.status.code == 200)
        #expect(text.contains("durov"))

        running.cancel()
        _ = await running.result
        try await client.shutdown()
        await store.shutdown()
    }
}
