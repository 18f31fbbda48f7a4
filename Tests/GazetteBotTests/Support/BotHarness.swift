import Testing
import AsyncHTTPClient
import Foundation
import GazetteCore
import GazetteDigest
import GazettePDF
import GazetteStorage
import GazetteTestSupport
import Logging
import GazetteMetrics
import Synchronization
@testable import GazetteBot

/// Log lines captured for assertions (e.g. that the token never appears).
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }

    func logger(_ label: String = "bot-test") -> Logger {
        var logger = Logger(label: label, factory: { label in CapturingHandler(label: label, capture: self) })
        logger.logLevel = .trace
        return logger
    }
}

struct CapturingHandler: LogHandler {
    let label: String
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        capture.append("\(event.level) \(event.message) \(merged)")
    }
}

/// A renderer that always fails, to exercise the text fallback.
struct FailingRenderer: MarkdownPDFRendering {
    func render(markdown: String, info: PDFDocumentInfo, style: PDFStyle) throws(PDFError) -> RenderedPDF {
        throw .renderFailed("simulated renderer failure")
    }
}

/// The bot wired to a real SQLite store in a temp dir, the real digest pipeline and a fake Bot API on loopback.
struct BotHarness {
    static let token = "123456:TEST-token_ABCdefGhIJKlmnOPQ"
    let directory: URL
    let store: any GazetteStore
    let api: FakeBotAPI
    let http: HTTPClient
    let registry: MetricRegistry
    var runtime: BotRuntime
    let logs: LogCapture

    static func make(renderer: (any MarkdownPDFRendering)? = nil, allowedUsers: Set<Int64>? = nil,
                     floodLimits: FloodGate.Limits = .init(perChatInterval: 0, globalPerSecond: 100_000),
                     clock: any GazetteClock = ManualClock(Date(), advancesOnSleep: true), directory: URL? = nil,
                     api: FakeBotAPI? = nil) async throws -> BotHarness {
        let dir = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("gazette-bot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let logs = LogCapture()
        let logger = logs.logger()
        let store = try await StoreFactory.open(databaseURL: "sqlite:" + dir.appendingPathComponent("gazette.sqlite").path, logger: logger)
        let fake: FakeBotAPI
        if let api { fake = api } else { fake = try await FakeBotAPI.start(token: token) }
        let http = HTTPClient.shared
        let registry = MetricRegistry()
        let pdf = PDFMetrics(registry: registry)
        let service = DigestService(store: store, summarizer: ExtractiveSummarizer(),
                                    renderer: MeteredRenderer(renderer: renderer ?? PDFRenderer(), metrics: pdf),
                                    options: DigestOptions(), logger: logger)
        var runtime = BotRuntime(token: Secret(token), settings: BotSettings(apiBaseURL: fake.baseURL, allowedUsers: allowedUsers), store: store,
                                 digests: service, httpClient: http, registry: registry,
                                 logger: logger, clock: clock, floodLimits: floodLimits, archive: store)
        runtime.poller.pollTimeout = 1
        return BotHarness(directory: dir, store: store, api: fake, http: http, registry: registry, runtime: runtime, logs: logs)
    }

    /// A harness for the duration of `body`, shut down (store closed, fake API stopped, files removed) after it.
    static func with<T>(renderer: (any MarkdownPDFRendering)? = nil, allowedUsers: Set<Int64>? = nil,
                        floodLimits: FloodGate.Limits = .init(perChatInterval: 0, globalPerSecond: 100_000),
                        clock: any GazetteClock = ManualClock(Date(), advancesOnSleep: true), directory: URL? = nil, api: FakeBotAPI? = nil,
                        _ body: (BotHarness) async throws -> T) async throws -> T {
        try await using(try await make(renderer: renderer, allowedUsers: allowedUsers, floodLimits: floodLimits, clock: clock,
                                       directory: directory, api: api), close: { await $0.shutdown() }, body)
    }

    /// Runs the poller until `condition` holds, then stops it.
    func poll(until what: String, _ condition: @escaping @Sendable () async throws -> Bool) async throws {
        let poller = runtime.poller
        let task = Task { try await poller.poll() }
        do {
            try await eventually(60, what, condition)
        } catch {
            task.cancel()
            _ = await task.result
            throw error
        }
        task.cancel()
        // The update in hand is finished before the poller stops; wait for it so pollers never overlap.
        _ = await task.result
    }

    /// True once the poller asked for updates after `id`, i.e. finished handling update `id`.
    func handled(through id: Int64) async -> Bool {
        await api.state.calls("getUpdates").contains { $0.fields["offset"] == String(id + 1) }
    }

    func push(_ update: [String: Any]) async throws {
        let data = try JSONSerialization.data(withJSONObject: update)
        try await api.state.push(updatesJSON: data)
    }

    func metric(_ line: String) -> Double? {
        for row in registry.text().split(separator: "\n") where row.hasPrefix(line + " ") {
            return Double(row.dropFirst(line.count + 1))
        }
        return nil
    }

    /// Subscribes the test user to `username` and stores `count` posts from the last hours.
    @discardableResult
    func seed(_ username: String, posts count: Int, userID: Int64 = Updates.userID, firstID: Int64 = 1, now: Date = Date()) async throws -> Channel {
        let (channel, _) = try await store.subscribe(userID: userID, ref: .telegram(username: username), tags: [])
        let posts = (0..<count).map { i in
            Post(channel: username, messageID: firstID + Int64(i),
                 text: "Post \(i) of \(username): the central bank kept rates unchanged while markets rallied. Analysts expect growth of \(i % 5 + 1)% next quarter. Read more at https://example.com/\(username)/\(i)",
                 date: now.addingTimeInterval(-Double(i + 1) * 600), views: 100 * (i + 1),
                 url: "https://t.me/\(username)/\(firstID + Int64(i))")
        }
        _ = try await store.savePosts(posts, channelID: channel.id, outcome: nil, dedupWindow: 0)
        return channel
    }

    func shutdown(removeFiles: Bool = true, stopAPI: Bool = true) async {
        if stopAPI { api.stop() }
        await store.shutdown()
        guard removeFiles else { return }
        do { try FileManager.default.removeItem(at: directory) } catch { Issue.record("temp dir cleanup: \(error)") }
    }
}
