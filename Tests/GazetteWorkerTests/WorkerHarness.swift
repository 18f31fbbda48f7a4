import GazetteTestSupport
import Foundation
import GazetteCore
import GazetteSources
import GazetteStorage
@testable import GazetteWorker
import Hummingbird
import Logging
import GazetteMetrics
import Synchronization

/// A clock tests move by hand; waits (backoff, the next pass) still pass in real time, so short ones end.
final class TestClock: GazetteClock {
    private let current: Mutex<Date>
    init(_ start: Date = Date()) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    func sleep(seconds: Double) async throws { try await SystemClock().sleep(seconds: seconds) }
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

    static func worker(store: any WorkerStore, sources: Sources, registry: MetricRegistry, config: Config,
                       clock: TestClock, owner: String = "test-\(UUID().uuidString.prefix(8))") -> FetchWorker {
        var settings = WorkerSettings(config: config, owner: owner)
        settings.databaseBackoff = Backoff(base: 0.05, cap: 0.2, jitter: 0)
        return FetchWorker(store: store, sources: sources, metrics: FetcherMetrics(registry: registry), settings: settings,
                           logger: logger, clock: clock)
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
