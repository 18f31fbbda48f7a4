import Foundation
@testable import GazetteAccount
import GazetteCore
import GazetteMetrics
import GazetteSources
import GazetteStorage
import GazetteTestSupport
import Logging
import Synchronization

/// Posts counted through `onSaved`, per channel.
final class SavedCounts: Sendable {
    let counts = Mutex<[String: Int]>([:])
}

enum AccountHarness {
    static let t0 = Date(timeIntervalSince1970: 1_764_000_000)
    static let logger: Logger = {
        var l = Logger(label: "account-test")
        l.logLevel = .critical
        return l
    }()

    /// A migrated SQLite store in a temp dir, shut down and removed after `body`.
    static func withStore<T>(_ body: (SQLiteStore) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-account-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try SQLiteStore(path: dir.appendingPathComponent("g.sqlite").path, logger: logger)
        try await store.migrate()
        do {
            let result = try await body(store)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }

    /// Sources for a worker that reads through the account (no request leaves the process), shut down after `body`.
    static func withSources<T>(registry: MetricRegistry, _ body: (Sources) async throws -> T) async throws -> T {
        try await using(Sources(settings: SourceSettings(), metrics: SourceMetrics(registry: registry), logger: logger),
                        close: { await $0.shutdown() }, body)
    }

    static func service(store: SQLiteStore, fake: ScriptedTDJSON, owner: String = "w1", clock: ManualClock,
                        registry: MetricRegistry = MetricRegistry(), saved: SavedCounts? = nil) -> AccountService {
        AccountService(settings: temporarySettings(), store: store, owner: owner, leaseDuration: 60,
                       makeTransport: { () throws(AccountError) -> any TDJSONTransport in fake },
                       metrics: AccountMetrics(registry: registry), logger: logger, clock: clock, dedupWindow: 0,
                       onSaved: { channel, n in saved?.counts.withLock { $0[channel, default: 0] += n } })
    }

    static func live(_ key: String) throws -> String {
        let data = try TestFixtures.data("tdlib/live_updates.json")
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return String(decoding: try JSONSerialization.data(withJSONObject: object[key] ?? [:]), as: UTF8.self)
    }
}
