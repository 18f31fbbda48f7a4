import Foundation
import GazetteCore
@testable import GazetteStorage
import GazetteStorageTesting
import Logging
import Testing

/// Which implementation a contract test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// SQLite always; PostgreSQL when `GAZETTE_TEST_POSTGRES_URL` names a server (`make test` starts one, and sets
    /// `GAZETTE_TEST_REQUIRE_POSTGRES=1` so a missing server fails these tests instead of skipping them).
    static let available: [StoreKind] = TestDatabases.postgresEnabled("store contract tests") ? [.sqlite, .postgres] : [.sqlite]
}

/// A fresh, private database per test: a temp-dir SQLite file, or `CREATE DATABASE t_<random>` on the test server.
/// `stores` opens that many independent stores on the same database (two "processes").
func withFreshStores<T>(_ kind: StoreKind, stores count: Int = 1,
                        _ body: ([any GazetteStore & RawSQLExecuting]) async throws -> T) async throws -> T {
    let logger = Logger(label: "gazette.storage.test")
    switch kind {
    case .sqlite:
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-store-\(UUID().uuidString)")
        defer { removeDirectory(dir) }
        let path = dir.appendingPathComponent("nested/gazette.sqlite").path
        var stores: [SQLiteStore] = []
        for _ in 0..<count {
            let store = try SQLiteStore(path: path, logger: logger)
            try await store.migrate()
            stores.append(store)
        }
        do {
            let result = try await body(stores)
            for store in stores { await store.shutdown() }
            return result
        } catch {
            for store in stores { await store.shutdown() }
            throw error
        }
    case .postgres:
        return try await TestDatabases.withPostgresDatabase(logger: logger) { url in
            var stores: [PostgresStore] = []
            do {
                for _ in 0..<count {
                    let store = try PostgresStore(url: url, logger: logger)
                    stores.append(store)
                    try await store.migrate()
                }
                let result = try await body(stores)
                for store in stores { await store.shutdown() }
                return result
            } catch {
                for store in stores { await store.shutdown() }
                throw error
            }
        }
    }
}

func withFreshStore<T>(_ kind: StoreKind, _ body: (any GazetteStore & RawSQLExecuting) async throws -> T) async throws -> T {
    try await withFreshStores(kind, stores: 1) { stores in try await body(stores[0]) }
}

func removeDirectory(_ url: URL) {
    do {
        try FileManager.default.removeItem(at: url)
    } catch {
        print("warning: could not remove \(url.path): \(error)")
    }
}

// MARK: Fixtures

let day: TimeInterval = 86_400
let week: TimeInterval = 7 * day
/// A fixed point in time, so windows and dedup do not depend on the clock.
let t0 = Date(timeIntervalSince1970: 1_764_000_000)

func tg(_ name: String) -> ChannelRef { .telegram(username: name) }

func post(_ channel: String, _ id: Int64, _ text: String, at date: Date = t0, views: Int? = nil) -> Post {
    Post(channel: channel, messageID: id, text: text, date: date, views: views, url: "https://t.me/\(channel)/\(id)")
}

/// Counts rows through the public API: every post of a channel, whatever its date.
func allPosts(_ store: any GazetteStore, channelID: Int64) async throws -> [Post] {
    try await store.posts(channelID: channelID, since: Date(timeIntervalSince1970: 0),
                          until: Date(timeIntervalSince1970: 4_000_000_000), limit: 1_000_000)
}

func latestSchemaVersion(_ kind: StoreKind) -> Int {
    switch kind {
    case .sqlite: SQLiteStore.migrations.latestVersion
    case .postgres: PostgresStore.migrations.latestVersion
    }
}
