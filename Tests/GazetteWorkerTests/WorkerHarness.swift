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

    /// The worker's and the sources' settings of a test, as GazetteApp would hand them over.
    struct Setup {
        var worker = WorkerSettings()
        var sources = SourceSettings()
    }

    static func config(base: URL) -> Setup {
        var config = Setup()
        config.sources.previewBaseURL = base
        config.sources.maxPages = 10
        config.worker.interval = 3600
        config.worker.leaseDuration = 300
        return config
    }

    static func worker(store: any WorkerStore, sources: Sources, registry: MetricRegistry, config: Setup,
                       clock: ManualClock, owner: String = "test-\(UUID().uuidString.prefix(8))") -> FetchWorker {
        var settings = config.worker
        settings.owner = owner
        settings.databaseBackoff = Backoff(base: 0.05, cap: 0.2, jitter: 0)
        return FetchWorker(store: store, sources: sources, metrics: FetcherMetrics(registry: registry), settings: settings,
                           logger: logger, clock: clock)
    }

    /// The sources of a test, on the test's clock (request timeouts and short `Retry-After` waits run on it), shut
    /// down after `body` whatever it does.
    static func withSources<T>(_ config: Setup, registry: MetricRegistry, clock: ManualClock, timeout: TimeInterval = 20,
                               _ body: (Sources) async throws -> T) async throws -> T {
        var settings = config.sources
        settings.http.totalTimeout = timeout
        settings.http.allowPrivateSources = true
        let sources = Sources(settings: settings, metrics: SourceMetrics(registry: registry), logger: logger, clock: clock)
        return try await using(sources, close: { await $0.shutdown() }, body)
    }

    static func subscribe(_ store: any GazetteStore, _ names: [String], user: Int64 = 1) async throws {
        for name in names { _ = try await store.subscribe(userID: user, ref: .telegram(username: name), tags: []) }
    }

    /// Whether every one of the channels `names` has its fetch's outcome stored (a success or a failure).
    static func recorded(_ store: any GazetteStore, _ names: [String]) async throws -> Bool {
        for name in names {
            guard let channel = try await store.channel(ref: .telegram(username: name)),
                  let state = try await store.fetchState(channelID: channel.id),
                  state.lastSuccessAt != nil || state.consecutiveFailures > 0 else { return false }
        }
        return true
    }

    /// The value of one series in Prometheus text, 0 when absent.
    static func value(_ text: String, _ series: String) -> Double {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1)) ?? -1
        }
        return 0
    }

}
