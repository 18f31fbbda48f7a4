import ArgumentParser
import Foundation
import GazetteCore
import GazetteStorage
import GazetteStorageTesting
import Logging

/// `gazette-bench storage`: batch insert of N posts through `GazetteStore.savePosts` (batches, dedup on) beside a
/// plain-SQL bulk insert of the same rows, for SQLite and PostgreSQL, each on a fresh database in the same run.
struct StorageBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage",
        abstract: "Ingestion throughput of the store vs raw SQL (bench/results/storage.json).")

    @Option(help: "Posts to insert per run.") var posts = 100_000
    @Option(help: "Posts per savePosts batch.") var batch = 1_000
    @Option(help: "Runs of every measurement, interleaved; the median is reported (this machine's noise is large).")
    var runs = 3
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
            "note": "store = savePosts in batches (validation, in-batch and database dedup); raw = plain SQL insert of the same rows in one transaction; same_transactions: like-for-like pairs; medians of `runs` interleaved runs",
            "runs": runs,
        ]

        let dir = try BenchScratch.directory("gazette-bench")
        defer { BenchScratch.remove(dir.path) }
        // Four cases per database: the headline pair (store in worker-sized batches vs raw in one transaction) and
        // like-for-like ones with the same transaction size on both sides, so the cost of committing per batch
        // shows apart from the cost of the store's own work. Each case runs `runs` times, interleaved; medians.
        let batchRanges = Self.chunks(rows.count, size: batch)
        let cases: [(String, @Sendable (any GazetteStore, Int64) async throws -> Void)] = [
            ("raw", { store, id in try await Self.baseline(store, rows, hashes, id, batch: batch) }),
            ("store", { store, id in try await Self.saveInBatches(rows, store: store, channelID: id, batch: batch) }),
            ("store_one_call", { store, id in try await Self.saveInBatches(rows, store: store, channelID: id, batch: rows.count) }),
            ("raw_batched", { store, id in
                for range in batchRanges {
                    try await Self.baseline(store, Array(rows[range]), Array(hashes[range]), id, batch: batch)
                }
            }),
        ]

        let sqliteTimes = try await Self.medians(cases, runs: runs) { name, run in
            let store = try SQLiteStore(path: dir.appendingPathComponent("\(name)-\(run).sqlite").path, logger: logger)
            return (store, {})
        }
        result["sqlite"] = Self.summaries(sqliteTimes, count: rows.count)

        if let server = postgresURL ?? ProcessInfo.processInfo.environment["GAZETTE_TEST_POSTGRES_URL"], !server.isEmpty {
            let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
            // No single 100,000-post call on PostgreSQL: callers cap batches at 1,000, and one batch that large
            // on a table without statistics is quadratic (docs/STORAGE.md).
            let postgresTimes = try await Self.medians(cases.filter { $0.0 != "store_one_call" }, runs: runs) { name, run in
                let database = "bench_\(name)_\(run)_\(suffix)"
                let url = try await TestDatabases.createDatabase(named: database, serverURL: server, logger: logger)
                return (try PostgresStore(url: url, logger: logger), {
                    try await TestDatabases.dropDatabase(named: database, serverURL: server, logger: logger)
                })
            }
            result["postgres"] = Self.summaries(postgresTimes, count: rows.count)
        } else {
            result["postgres"] = ["skipped": "no PostgreSQL server (--postgres-url or GAZETTE_TEST_POSTGRES_URL)"]
            print("SKIP: PostgreSQL storage benchmark (no server URL)")
        }
        try writeResult(result, name: "storage", directory: out)
    }

    static func chunks(_ count: Int, size: Int) -> [Range<Int>] {
        stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
    }

    static func saveInBatches(_ rows: [Post], store: any GazetteStore, channelID: Int64, batch: Int) async throws {
        var saved = 0
        for range in chunks(rows.count, size: batch) {
            let result = try await store.savePosts(Array(rows[range]), channelID: channelID,
                                                   outcome: nil, dedupWindow: 7 * 86_400)
            saved += result.saved
        }
        guard saved == rows.count else { throw ValidationError("expected \(rows.count) posts saved, got \(saved)") }
    }

    /// The raw-SQL baseline of either store.
    static func baseline(_ store: any GazetteStore, _ rows: [Post], _ hashes: [String?], _ channelID: Int64, batch: Int) async throws {
        switch store {
        case let sqlite as SQLiteStore: try await sqlite.baselineBulkInsert(rows, hashes: hashes, channelID: channelID)
        case let postgres as PostgresStore:
            try await postgres.baselineBulkInsert(rows, hashes: hashes, channelID: channelID, chunkSize: batch)
        default: throw ValidationError("no baseline for \(type(of: store))")
        }
    }

    /// Runs every case `runs` times, round-robin, each on a fresh database from `open` (set-up untimed; the
    /// returned closure cleans up after the store is shut down), and returns the median seconds per case.
    static func medians(_ cases: [(String, @Sendable (any GazetteStore, Int64) async throws -> Void)], runs: Int,
                        open: (String, Int) async throws -> (any GazetteStore, () async throws -> Void)) async throws -> [String: Double] {
        var times: [String: [Double]] = [:]
        for run in 0..<max(runs, 1) {
            for (name, work) in cases {
                let (store, cleanUp) = try await open(name, run)
                let elapsed: Duration
                do {
                    try await store.migrate()
                    let channel = try await store.upsertChannel(.telegram(username: "bench_channel"))
                    elapsed = try await ContinuousClock().measure { try await work(store, channel.id) }
                } catch {
                    await store.shutdown()
                    throw error
                }
                await store.shutdown()
                try await cleanUp()
                times[name, default: []].append(elapsed.inSeconds)
            }
        }
        return times.mapValues { $0.sorted()[$0.count / 2] }
    }

    static func summaries(_ times: [String: Double], count: Int) -> [String: Any] {
        var out = summary(store: times["store", default: .nan], raw: times["raw", default: .nan], count: count)
        out["same_transactions"] = [
            "one_transaction": times["store_one_call"].map { summary(store: $0, raw: times["raw", default: .nan], count: count) }
                ?? ["skipped": "one 100,000-post batch is not a path the product takes on PostgreSQL (docs/STORAGE.md)"],
            "batch_transactions": summary(store: times["store", default: .nan], raw: times["raw_batched", default: .nan], count: count),
        ]
        return out
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
