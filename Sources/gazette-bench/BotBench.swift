import ArgumentParser
import AsyncHTTPClient
import Foundation
import GazetteBot
import GazetteCore
import GazetteDigest
import GazettePDF
import GazetteStorage
import Hummingbird
import Logging
import NIOCore
import GazetteMetrics

/// `gazette-bench bot`: digest answer latency of the bot, from an update being handled to `sendDocument` arriving
/// at a fake Bot API on 127.0.0.1 — cached (the same request again) and uncached (cache off), for 10 channels ×
/// 100 posts with the extractive summarizer and the real PDF renderer (bench/results/bot.json).
struct BotBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bot",
        abstract: "Bot digest latency, cached and uncached (bench/results/bot.json).")

    @Option(help: "Measured requests per case.") var runs = 40
    @Option(help: "Channels in the user's subscriptions.") var channels = 10
    @Option(help: "Posts per channel in the window.") var posts = 100
    @Option(help: "Directory for the JSON result.") var out = "bench/results"

    func run() async throws {
        let logger = Logger(label: "gazette.bench.bot", factory: { _ in SwiftLogNoOpLogHandler() })
        let dir = try BenchScratch.directory("gazette-bench-bot")
        defer { BenchScratch.remove(dir.path) }
        let store = try await StoreFactory.open(databaseURL: "sqlite:" + dir.appendingPathComponent("bench.sqlite").path, logger: logger)
        let userID: Int64 = 1
        let now = Date()
        for c in 0..<channels {
            let name = "bench_channel_\(c)"
            let (channel, _) = try await store.subscribe(userID: userID, ref: .telegram(username: name), tags: [])
            let batch = (0..<posts).map { i in
                Post(channel: name, messageID: Int64(i + 1),
                     text: "Channel \(c), post \(i). The committee approved the budget after a long debate; analysts expect "
                        + "growth of \(i % 7 + 1)% and new hiring in the region. Details: https://example.com/\(c)/\(i)",
                     date: now.addingTimeInterval(-Double(i + 1) * 300), views: 1000 + i * 10, url: "https://t.me/\(name)/\(i + 1)")
            }
            _ = try await store.savePosts(batch, channelID: channel.id, outcome: nil, dedupWindow: 0)
        }
        let fake = try await BenchBotAPI.start()
        let http = HTTPClient(eventLoopGroupProvider: .singleton)

        func runtime(cacheTTL: TimeInterval) -> BotRuntime {
            let registry = MetricRegistry()
            let service = DigestService(store: store, summarizer: ExtractiveSummarizer(),
                                        renderer: MeteredRenderer(metrics: PDFMetrics(registry: registry)),
                                        options: DigestOptions(cacheTTL: cacheTTL), logger: logger)
            // Per-chat spacing off: the same chat asks again at once here, which real users do not do every millisecond.
            return BotRuntime(token: Secret(BenchBotAPI.token), settings: BotSettings(apiBaseURL: fake.baseURL), store: store,
                              digests: service, httpClient: http, registry: registry,
                              logger: logger, floodLimits: .init(perChatInterval: 0, globalPerSecond: 1_000_000))
        }

        func measure(_ bot: BotRuntime, count: Int) async throws -> [Double] {
            var samples: [Double] = []
            for i in 0..<count {
                let update = Update(updateID: Int64(i + 1), message: Message(
                    messageID: Int64(i + 1), from: User(id: userID, firstName: "Bench"), chat: Chat(id: userID, type: "private"),
                    date: Int64(now.timeIntervalSince1970), text: "/digest", entities: [MessageEntity(type: "bot_command", offset: 0, length: 7)]))
                // Not twice: a digest the reader has is not sent again; forget it so each request is a full digest.
                _ = try await store.deleteDeliveredStories(olderThan: .distantFuture)
                let before = await fake.state.documents.count
                let start = ContinuousClock.now
                await bot.handler.handle(update)
                let arrivals = await fake.state.documents
                guard arrivals.count == before + 1, let arrived = arrivals.last else { throw BenchError.noDocument }
                samples.append((arrived - start).inSeconds * 1000)
            }
            return samples
        }

        let cachedBot = runtime(cacheTTL: 3600)
        let firstUncached = try await measure(cachedBot, count: 1)
        let cached = try await measure(cachedBot, count: runs)
        let uncached = try await measure(runtime(cacheTTL: 0), count: runs)
        let size = await fake.state.lastSize

        let result: [String: Any] = [
            "benchmark": "bot digest latency (update handled → sendDocument received by a fake Bot API on 127.0.0.1)",
            "channels": channels, "posts_per_channel": posts, "runs": runs, "summarizer": "extractive",
            "pdf_bytes": size,
            "cached_ms": ["p50": percentile(cached, 50), "p95": percentile(cached, 95), "max": cached.max() ?? .nan,
                          "target_p95": 10],
            "uncached_ms": ["p50": percentile(uncached, 50), "p95": percentile(uncached, 95), "max": uncached.max() ?? .nan,
                            "first_request": firstUncached.first ?? .nan, "target_p95": 200],
            "build": Self.buildKind,
            "load_average_1m": Self.loadAverage(),
            "note": "a delivered digest is built fresh (not from the PDF cache: it depends on what the reader already has, "
                + "issue 15), so cached and uncached now take the same path; delivery records are cleared before each request; "
                + "per-chat flood spacing off",
        ]
        fake.stop()
        try await http.shutdown()
        await store.shutdown()
        try writeResult(result, name: "bot", directory: out)
    }

    #if DEBUG
    static let buildKind = "debug"
    #else
    static let buildKind = "release"
    #endif

    /// The machine's 1-minute load average (Linux), so numbers from a busy machine can be read as such.
    static func loadAverage() -> Double {
        do {
            let text = try String(contentsOfFile: "/proc/loadavg", encoding: .utf8)
            return text.split(separator: " ").first.flatMap { Double($0) } ?? -1
        } catch {
            return -1
        }
    }

    enum BenchError: Error, CustomStringConvertible {
        case noDocument
        var description: String { "the bot did not send a document (see the digest pipeline)" }
    }
}

/// Records when each `sendDocument` arrives; answers every method like Telegram would.
actor BenchBotState {
    var documents: [ContinuousClock.Instant] = []
    var lastSize = 0
    func arrived() { documents.append(.now) }
    func size(_ bytes: Int) { lastSize = bytes }
}

struct BenchBotAPI: Sendable {
    static let token = "100:bench-token"
    let state: BenchBotState
    let port: Int
    let task: Task<Void, any Error>
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    static func start() async throws -> BenchBotAPI {
        let state = BenchBotState()
        let router = Router()
        router.post("/{bot}/{method}") { request, context -> Response in
            let method = try context.parameters.require("method")
            if method == "sendDocument" {
                // Arrival is when the request head is here, i.e. when the bot issued the call.
                await state.arrived()
                let body = try await request.body.collect(upTo: 64 << 20)
                await state.size(body.readableBytes)
            }
            let result = method == "sendChatAction" ? "true"
                : "{\"message_id\":1,\"date\":0,\"chat\":{\"id\":1,\"type\":\"private\"}}"
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: "{\"ok\":true,\"result\":\(result)}")))
        }
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) },
                              logger: Logger(label: "bench-bot-api", factory: { _ in SwiftLogNoOpLogHandler() }))
        let task = Task { try await app.runService() }
        var port = 0
        for await p in stream { port = p; break }
        return BenchBotAPI(state: state, port: port, task: task)
    }

    func stop() { task.cancel() }
}
