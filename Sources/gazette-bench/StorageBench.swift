import ArgumentParser
import Foundation
import GazetteCore
import GazetteStorage
import Logging

/// `gazette-bench storage`: batch insert of N posts through `GazetteStore.savePosts` (batches, dedup on) beside a
/// plain-SQL bulk insert of the same rows, for SQLite and PostgreSQL, each on a fresh database in the same run.
struct StorageBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage",
        abstract: "Ingestion throughput of the store vs raw SQL (bench/results/storage.json).")

    @Option(help: "Posts to insert per run.") var posts = 100_000
    @Option(help: "Posts per savePosts batch.") var batch = 1_000
    @Option(help: "PostgreSQL server URL (a fresh database is created and dropped); default: $GAZETTE_TEST_POSTGRES_URL.")
    var postgresURL: String?
    @Option(help: "Directory for the JSON result.") var out = "bench/results"

    func run() async throws {
        let logger = Logger(label: "gazette.bench.storage")
        let rows = StorageWorkload.make(count: posts)
        let hashes = StorageBaseline.contentHashes(rows)
        var result: [String: Any] = [
            "benchmark": "storage ingestion",
            "posts": posts, "batch": batch, "avg_text_chars": rows.map(\.text.count).reduce(0, +) / max(rows.count, 1),
            "target_ratio": 0.5, "target_sqlite_posts_per_s": 20_000,
            "note": "store = savePosts in batches (validation, in-batch and database dedup); raw = plain SQL insert of the same rows",
        ]

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-bench-\(UUID().uuidString)")
        defer { removeBenchDirectory(dir) }
        let rawSQLite = try await Self.measure(rows.count) {
            let store = try SQLiteStore(path: dir.appendingPathComponent("raw.sqlite").path, logger: logger)
            try await store.migrate()
            let channel = try await store.upsertChannel(.telegram(username: "bench_channel"))
            return (store, { try await store.baselineBulkInsert(rows, hashes: hashes, channelID: channel.id) })
        }
        let storeSQLite = try await Self.measure(rows.count) {
            let store = try SQLiteStore(path: dir.appendingPathComponent("store.sqlite").path, logger: logger)
            try await store.migrate()
            let channel = try await store.upsertChannel(.telegram(username: "bench_channel"))
            return (store, { try await Self.saveInBatches(rows, store: store, channelID: channel.id, batch: batch) })
        }
        result["sqlite"] = Self.summary(store: storeSQLite, raw: rawSQLite, count: rows.count)

        if let server = postgresURL ?? ProcessInfo.processInfo.environment["GAZETTE_TEST_POSTGRES_URL"], !server.isEmpty {
            let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
            let rawName = "bench_raw_\(suffix)", storeName = "bench_store_\(suffix)"
            let rawPG = try await Self.measure(rows.count) {
                let url = try await PostgresDatabaseAdmin.createDatabase(named: rawName, serverURL: server, logger: logger)
                let store = try PostgresStore(url: url, logger: logger)
                try await store.migrate()
                let channel = try await store.upsertChannel(.telegram(username: "bench_channel"))
                return (store, { try await store.baselineBulkInsert(rows, hashes: hashes, channelID: channel.id, chunkSize: batch) })
            }
            let storePG = try await Self.measure(rows.count) {
                let url = try await PostgresDatabaseAdmin.createDatabase(named: storeName, serverURL: server, logger: logger)
                let store = try PostgresStore(url: url, logger: logger)
                try await store.migrate()
                let channel = try await store.upsertChannel(.telegram(username: "bench_channel"))
                return (store, { try await Self.saveInBatches(rows, store: store, channelID: channel.id, batch: batch) })
            }
            try await PostgresDatabaseAdmin.dropDatabase(named: rawName, serverURL: server, logger: logger)
            try await PostgresDatabaseAdmin.dropDatabase(named: storeName, serverURL: server, logger: logger)
            result["postgres"] = Self.summary(store: storePG, raw: rawPG, count: rows.count)
        } else {
            result["postgres"] = ["skipped": "no PostgreSQL server (--postgres-url or GAZETTE_TEST_POSTGRES_URL)"]
            print("SKIP: PostgreSQL storage benchmark (no server URL)")
        }
        try writeResult(result, name: "storage", directory: out)
    }

    static func saveInBatches(_ rows: [Post], store: any GazetteStore, channelID: Int64, batch: Int) async throws {
        var saved = 0
        for start in stride(from: 0, to: rows.count, by: batch) {
            let result = try await store.savePosts(Array(rows[start..<min(start + batch, rows.count)]), channelID: channelID,
                                                   outcome: nil, dedupWindow: 7 * 86_400)
            saved += result.saved
        }
        guard saved == rows.count else { throw ValidationError("expected \(rows.count) posts saved, got \(saved)") }
    }

    /// Sets up (untimed), runs the timed part once, checks the row count, shuts the store down.
    static func measure(_ expected: Int, setUp: () async throws -> (any GazetteStore, () async throws -> Void)) async throws -> Double {
        let (store, work) = try await setUp()
        let clock = ContinuousClock()
        let elapsed: Duration
        do {
            elapsed = try await clock.measure { try await work() }
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    static func summary(store: Double, raw: Double, count: Int) -> [String: Any] {
        let storeRate = Double(count) / store, rawRate = Double(count) / raw
        return [
            "store_seconds": round3(store), "raw_seconds": round3(raw),
            "store_posts_per_s": Int(storeRate), "raw_posts_per_s": Int(rawRate),
            "ratio": round3(storeRate / rawRate),
        ]
    }

    static func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
}

private func removeBenchDirectory(_ url: URL) {
    do {
        try FileManager.default.removeItem(at: url)
    } catch {
        print("warning: could not remove \(url.path): \(error)")
    }
}

/// Deterministic, realistic posts: ~300 characters of mixed Russian and English, links, emoji; every text unique.
enum StorageWorkload {
    static let russian = ["Сегодня", "правительство", "объявило", "новые", "меры", "поддержки", "малого", "бизнеса", "в", "регионах",
                          "эксперты", "считают", "что", "рынок", "отреагирует", "ростом", "курс", "рубля", "снизился", "после", "заседания"]
    static let english = ["markets", "rallied", "after", "the", "central", "bank", "kept", "rates", "unchanged", "analysts",
                          "expect", "inflation", "to", "slow", "next", "quarter", "tech", "stocks", "led", "gains"]
    static let emoji = ["📈", "🚀", "🔥", "✅", "⚡️", "🗞️"]

    static func make(count: Int) -> [Post] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let start = Date(timeIntervalSince1970: 1_764_000_000)
        return (0..<count).map { i in
            var words: [String] = []
            var length = 0
            while length < 280 {
                let word = next() % 3 == 0 ? english[next() % english.count] : russian[next() % russian.count]
                words.append(word)
                length += word.count + 1
            }
            let text = "\(emoji[i % emoji.count]) Пост №\(i): " + words.joined(separator: " ") + " https://example.org/n/\(i)"
            return Post(channel: "bench_channel", messageID: Int64(i + 1), text: text, html: nil,
                        date: start.addingTimeInterval(Double(i) * 30), views: 1000 + next() % 50_000,
                        url: "https://t.me/bench_channel/\(i + 1)")
        }
    }
}
