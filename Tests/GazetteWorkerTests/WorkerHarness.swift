import GazetteTestSupport
import Foundation
import GazetteCore
import GazetteSources
@testable import GazetteStorage
@testable import GazetteWorker
import Hummingbird
import Logging
import GazetteMetrics
import Synchronization

/// A clock tests move by hand.
final class TestClock: Sendable {
    private let current: Mutex<Date>
    init(_ start: Date = Date()) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

/// A fake t.me: channels with generated posts (never the same text twice), paged with `?before=` 5 posts a page.
/// Special names misbehave: `brokenchan` → 500, `limitedchan` → 429 Retry-After 600, `slowchan` → answers after 3 s,
/// `mangledchan` → an unrecognisable page.
struct FakeTelegram: Sendable {
    let posts: [String: [SyntheticPreviewPage.Message]]
    let log = RequestLog()
    static let pageSize = 5

    /// `count` posts per channel, one every 10 minutes ending 5 minutes before `now`.
    init(channels: [String], postsPerChannel count: Int, now: Date) {
        var all: [String: [SyntheticPreviewPage.Message]] = [:]
        for (n, name) in channels.enumerated() {
            all[name] = (0..<count).map { i in
                SyntheticPreviewPage.Message(id: Int64(100 + i), date: now.addingTimeInterval(-300 - Double(count - i) * 600),
                                             text: "Post \(i) of \(name) (\(n)): \(UUID().uuidString)")
            }
        }
        posts = all
    }

    var totalPosts: Int { posts.values.reduce(0) { $0 + $1.count } }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let posts = self.posts
        let log = self.log
        router.get("/s/:name") { request, context -> Response in
            let name = context.parameters.get("name") ?? ""
            await log.record(name + (request.uri.queryParameters.get("before").map { "?before=\($0)" } ?? ""))
            switch name {
            case "brokenchan": return FakeServer.html("oops", status: .internalServerError)
            case "limitedchan": return FakeServer.html("slow down", status: .tooManyRequests, headers: [.retryAfter: "600"])
            case "slowchan":
                try await Task.sleep(for: .seconds(3))
                return FakeServer.html("late")
            case "mangledchan": return FakeServer.html("<html><body><div class='redesigned'>?</div></body></html>")
            default: break
            }
            guard let all = posts[name] else { return FakeServer.html("", status: .notFound) }
            let before = request.uri.queryParameters.get("before").flatMap { Int64($0) } ?? .max
            let older = all.filter { $0.id < before }
            let page = Array(older.suffix(Self.pageSize))
            let cursor = page.first.flatMap { first in older.contains { $0.id < first.id } ? first.id : nil }
            return FakeServer.html(SyntheticPreviewPage.html(channel: name, title: "Channel \(name)", messages: page, before: cursor))
        }
        return router
    }
}

enum WorkerHarness {
    static let logger: Logger = {
        var l = Logger(label: "worker-test")
        l.logLevel = .critical
        return l
    }()

    /// A fresh SQLite database in a temp dir.
    static func withSQLite<T>(_ body: (any GazetteStore, String) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-worker-\(UUID().uuidString)")
        defer {
            do { try FileManager.default.removeItem(at: dir) } catch { print("note: could not remove \(dir.path): \(error)") }
        }
        let url = "sqlite:" + dir.appendingPathComponent("gazette.sqlite").path
        let store = try await StoreFactory.open(databaseURL: url, logger: logger)
        do {
            let result = try await body(store, url)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }

    static func config(base: URL) -> Config {
        var config = Config()
        config.telegramPreviewBaseURL = base
        config.maxPages = 10
        config.interval = 3600
        config.leaseDuration = 300
        return config
    }

    static func worker(store: any GazetteStore, sources: Sources, registry: MetricRegistry, config: Config,
                       clock: TestClock, owner: String = "test-\(UUID().uuidString.prefix(8))") -> FetchWorker {
        var settings = WorkerSettings(config: config, owner: owner)
        settings.databaseBackoff = Backoff(base: 0.05, cap: 0.2, jitter: 0)
        return FetchWorker(store: store, sources: sources, metrics: FetcherMetrics(registry: registry), settings: settings,
                           logger: logger, now: { clock.now() })
    }

    static func sources(_ config: Config, registry: MetricRegistry, timeout: TimeInterval = 20) -> Sources {
        var settings = HTTPSettings(config: config)
        settings.totalTimeout = timeout
        settings.allowPrivateSources = true
        return Sources(config: config, settings: settings, metrics: SourceMetrics(registry: registry), logger: logger)
    }

    static func subscribe(_ store: any GazetteStore, _ names: [String], user: Int64 = 1) async throws {
        for name in names { _ = try await store.subscribe(userID: user, ref: .telegram(username: name), tags: []) }
    }

    /// The value of one series in Prometheus text, 0 when absent.
    static func value(_ text: String, _ series: String) -> Double {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1)) ?? -1
        }
        return 0
    }

}
