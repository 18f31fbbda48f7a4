import Foundation
@testable import GazetteAccount
import GazetteCore
import GazetteMetrics
import GazetteStorage
import GazetteTestSupport
import Logging
import Synchronization

/// A clock moved by hand.
final class ManualClock: GazetteClock {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    func sleep(seconds: Double) async throws { try await SystemClock().sleep(seconds: min(seconds, 0.05)) }
}

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
