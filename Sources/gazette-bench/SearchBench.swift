import ArgumentParser
import Foundation
import GazetteCore
import GazetteDigest
import GazetteStorage
import GazetteStorageTesting
import GazetteText
import Logging

/// `gazette-bench search` (issue 27): on each store, the generated posts (`SearchWorkload`, 1,000,000 by default) are
/// saved twice in the same run, batch by batch in turn, into a database that keeps the search index and into one that
/// does not (the reference); then one-word, two-word and phrase queries are timed on the indexed one through
/// `PostSearch` (parse, store, snippets), the index is weighed against the posts' text, and `gazette migrate` builds the
/// index of the reference database as an upgrade would (its time and peak RSS, as a separate process).
struct SearchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Full-text search at 1,000,000 posts on both stores: query p95, ingest ratio, index size, migrate (bench/results/search.json).")

    @Option(help: "Posts in all.") var posts = 1_000_000
    @Option(help: "Channels (the reader follows them all).") var channels = 100
    @Option(help: "Posts per savePosts batch (one channel each).") var batch = 1_000
    @Option(help: "Timed queries of each kind.") var queries = 200
    @Option(help: "Stores to measure: sqlite, postgres or both (comma-separated).") var stores = "sqlite,postgres"
    @Option(help: "PostgreSQL server URL (fresh databases are created and dropped); default: $GAZETTE_TEST_POSTGRES_URL.")
    var postgresURL: String?
    @Option(help: "The gazette binary whose `migrate` is measured; default: $GAZETTE_BIN.") var gazette: String?
    @Option(help: "Directory for the JSON result.") var out = "bench/results"
    @Option(help: "Result file name (without .json).") var name = "search"

    func validate() throws {
        guard channels > 0, posts >= channels, posts % (channels * batch) == 0 else {
            throw ValidationError("--posts must be a multiple of --channels × --batch")
        }
    }

    func run() async throws {
        let workload = SearchWorkload(channels: channels, postsPerChannel: posts / channels)
        var result: [String: Any] = [
            "benchmark": "full-text search", "posts": posts, "channels": channels, "batch": batch, "queries_per_kind": queries,
            "targets": ["search_p95_ms": 50, "ingest_ratio": 0.7],
            "note": """
                one reader follows every channel (every post is in scope); queries go through PostSearch (parse, store query, \
                snippets), limit 10, after 20 untimed ones; ingest: the same batches saved in turn into a database with the \
                search index and one without (the reference), rate = posts / summed savePosts time; index size against the \
                UTF-8 bytes of the posts' text; migrate: the reference database set back to schema 8, then `gazette migrate` \
                as its own process (wall time, peak RSS by GNU time)
                """,
        ]
        let binary = gazette ?? ProcessInfo.processInfo.environment["GAZETTE_BIN"]
        for kind in stores.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            switch kind {
            case "sqlite":
                result["sqlite"] = try await withLoadAverage { try await measureSQLite(workload, binary: binary) }
            case "postgres":
                guard let server = postgresURL ?? ProcessInfo.processInfo.environment["GAZETTE_TEST_POSTGRES_URL"], !server.isEmpty else {
                    result["postgres"] = ["skipped": "no PostgreSQL server (--postgres-url or GAZETTE_TEST_POSTGRES_URL)"]
                    print("SKIP: PostgreSQL search benchmark (no server URL)")
                    continue
                }
                result["postgres"] = try await withLoadAverage { try await measurePostgres(workload, server: server, binary: binary) }
            default:
                throw ValidationError("unknown store '\(kind)': sqlite or postgres")
            }
        }
        try writeResult(result, name: name, directory: out)
    }

    func measureSQLite(_ workload: SearchWorkload, binary: String?) async throws -> [String: Any] {
        let logger = Logger(label: "gazette.bench.search")
        let dir = try BenchScratch.directory("gazette-bench-search")
        defer { BenchScratch.remove(dir.path) }
        let plainPath = dir.appendingPathComponent("plain.sqlite").path, indexedPath = dir.appendingPathComponent("indexed.sqlite").path
        let plain = try SQLiteStore(path: plainPath, logger: logger, observer: nil, busyTimeout: 10, searchIndexing: false)
        let indexed = try SQLiteStore(path: indexedPath, logger: logger, observer: nil, busyTimeout: 10, searchIndexing: true)
        var out = try await measure(workload, plain: plain, indexed: indexed, sizes: {
            [
                "text_bytes": try await indexed.countRaw("SELECT SUM(length(CAST(text AS BLOB))) FROM posts"),
                "posts_table_bytes": try await indexed.countRaw("SELECT SUM(pgsize) FROM dbstat WHERE name = 'posts'"),
                "index_bytes": try await indexed.countRaw("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'post_search%'"),
                "index_terms_bytes": try await indexed.countRaw("SELECT SUM(pgsize) FROM dbstat WHERE name = 'post_search_content'"),
            ]
        })
        await plain.shutdown()
        await indexed.shutdown()
        out["migrate"] = try await migrate(url: "sqlite:\(plainPath)", binary: binary, total: workload.total) { sql in
            try await Self.withStore(try SQLiteStore(path: plainPath, logger: logger), sql)
        }
        return out
    }

    func measurePostgres(_ workload: SearchWorkload, server: String, binary: String?) async throws -> [String: Any] {
        let logger = Logger(label: "gazette.bench.search")
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        let plainName = "bench_search_plain_\(suffix)", indexedName = "bench_search_indexed_\(suffix)"
        let plainURL = try await TestDatabases.createDatabase(named: plainName, serverURL: server, logger: logger)
        let indexedURL = try await TestDatabases.createDatabase(named: indexedName, serverURL: server, logger: logger)
        func drop() async {
            for database in [plainName, indexedName] {
                do {
                    try await TestDatabases.dropDatabase(named: database, serverURL: server, logger: logger)
                } catch {
                    print("warning: could not drop \(database): \(error)")
                }
            }
        }
        do {
            guard case .postgres(let plainParsed) = try DatabaseURL.parse(plainURL),
                  case .postgres(let indexedParsed) = try DatabaseURL.parse(indexedURL) else { throw ValidationError("not postgres URLs") }
            let plain = try PostgresStore(url: plainParsed, logger: logger, observer: nil, maximumConnections: 4, searchIndexing: false)
            let indexed = try PostgresStore(url: indexedParsed, logger: logger, observer: nil, maximumConnections: 4, searchIndexing: true)
            var out = try await measure(workload, plain: plain, indexed: indexed, sizes: {
                [
                    "text_bytes": try await indexed.countRaw("SELECT SUM(octet_length(text))::bigint FROM posts"),
                    "posts_table_bytes": try await indexed.countRaw("SELECT pg_total_relation_size('posts')"),
                    "index_bytes": try await indexed.countRaw("SELECT pg_total_relation_size('post_search')"),
                    "index_gin_bytes": try await indexed.countRaw("SELECT pg_relation_size('post_search_terms_idx')"),
                ]
            }, prepare: {
                // Steady state, as autovacuum keeps it: statistics, and the GIN index's pending list merged.
                try await indexed.executeRaw("VACUUM ANALYZE post_search")
                try await indexed.executeRaw("ANALYZE posts")
            })
            await plain.shutdown()
            await indexed.shutdown()
            out["migrate"] = try await migrate(url: plainURL, binary: binary, total: workload.total) { sql in
                try await Self.withStore(try PostgresStore(url: plainURL, logger: logger), sql)
            }
            await drop()
            return out
        } catch {
            await drop()
            throw error
        }
    }

    /// A store's rows with the machine's load average (1, 5, 15 min) before and after them: the machine may be shared,
    /// and the ratios, measured in the same run, are what stays comparable.
    func withLoadAverage(_ body: () async throws -> [String: Any]) async throws -> [String: Any] {
        let before = PDFCompare.loadAverage()
        var out = try await body()
        out["machine"] = ["cores": ProcessInfo.processInfo.activeProcessorCount, "load_average_before": before,
                          "load_average_after": PDFCompare.loadAverage()]
        return out
    }

    /// Ingest into both, sizes, then the queries on the indexed store.
    func measure(_ workload: SearchWorkload, plain: any GazetteStore, indexed: any GazetteStore,
                 sizes: () async throws -> [String: Int], prepare: () async throws -> Void = {}) async throws -> [String: Any] {
        for store in [plain, indexed] {
            try await store.migrate()
            for c in 0..<workload.channels { _ = try await store.subscribe(userID: 1, ref: .telegram(username: SearchWorkload.channelName(c)), tags: []) }
        }
        var channelIDs: [Int64] = []
        for c in 0..<workload.channels {
            guard let channel = try await indexed.channel(ref: .telegram(username: SearchWorkload.channelName(c))) else {
                throw ValidationError("channel \(c) missing")
            }
            channelIDs.append(channel.id)
        }
        let plainIDs = try await (0..<workload.channels).asyncMap { c in
            try await plain.channel(ref: .telegram(username: SearchWorkload.channelName(c)))?.id ?? 0
        }
        // Rounds of one batch per channel; in each batch the two stores take turns going first.
        var plainSeconds = 0.0, indexedSeconds = 0.0
        let clock = ContinuousClock()
        let rounds = workload.postsPerChannel / batch
        var done = 0
        for round in 0..<rounds {
            for c in 0..<workload.channels {
                let posts = (0..<batch).map { j in workload.post((round * batch + j) * workload.channels + c).post }
                let first = (round + c) % 2 == 0
                for turn in 0..<2 {
                    let indexing = (turn == 0) == first
                    let elapsed = try await clock.measure {
                        let result = try await (indexing ? indexed : plain).savePosts(posts, channelID: indexing ? channelIDs[c] : plainIDs[c],
                                                                                      outcome: nil, dedupWindow: 7 * 86_400)
                        guard result.saved == posts.count else { throw ValidationError("saved \(result.saved) of \(posts.count)") }
                    }.inSeconds
                    if indexing { indexedSeconds += elapsed } else { plainSeconds += elapsed }
                }
                done += batch
            }
            print("ingested \(done) of \(workload.total) posts (indexed \(Int(Double(done) / indexedSeconds))/s, "
                  + "reference \(Int(Double(done) / plainSeconds))/s)")
        }
        try await prepare()
        let measuredSizes = try await sizes()
        var size: [String: Any] = measuredSizes
        if let text = measuredSizes["text_bytes"], let index = measuredSizes["index_bytes"], text > 0 {
            size["index_to_text_ratio"] = round3(Double(index) / Double(text))
        }
        var out: [String: Any] = [
            "ingest": [
                "indexed_posts_per_s": Int(Double(workload.total) / indexedSeconds),
                "reference_posts_per_s": Int(Double(workload.total) / plainSeconds),
                "ratio": round3(plainSeconds / indexedSeconds),
                "indexed_seconds": round3(indexedSeconds), "reference_seconds": round3(plainSeconds),
            ],
            "size": size,
        ]
        out["queries"] = try await timeQueries(workload, store: indexed)
        return out
    }

    func timeQueries(_ workload: SearchWorkload, store: any GazetteStore) async throws -> [String: Any] {
        let search = PostSearch(store: store)
        let sets = workload.queries(queries + 20, seed: 42)
        var out: [String: Any] = [:]
        for (kind, list) in [("one_word", sets.oneWord), ("two_words", sets.twoWords), ("phrase", sets.phrase)] {
            var samples: [Double] = []
            var hits: [Double] = []
            for (i, text) in list.enumerated() {
                let started = ContinuousClock.now
                let page = try await search.search(PostSearch.Request(userID: 1, query: text, limit: 10))
                let elapsed = (ContinuousClock.now - started).inSeconds
                guard i >= 20 else { continue }  // warm-up
                samples.append(elapsed * 1000)
                hits.append(Double(page.hits.count))
            }
            out[kind] = [
                "p50_ms": round3(percentile(samples, 50)), "p95_ms": round3(percentile(samples, 95)),
                "max_ms": round3(samples.max() ?? .nan), "queries": samples.count,
                "with_hits": hits.filter { $0 > 0 }.count, "examples": Array(list.dropFirst(20).prefix(5)),
            ]
        }
        return out
    }

    /// The reference database set back to schema 8 by `sql` (run by a store opened for it, which also counts the index
    /// rows), then `gazette migrate` on it as its own process; every post must be indexed afterwards.
    func migrate(url: String, binary: String?, total: Int, sql: ([String]) async throws -> Int) async throws -> [String: Any] {
        guard let binary else { return ["skipped": "no gazette binary (--gazette or GAZETTE_BIN)"] }
        let isSQLite = url.hasPrefix("sqlite:")
        _ = try await sql((isSQLite ? ["DROP TRIGGER post_search_follows_delete"] : []) + [
            "DROP TABLE post_search", "DROP TABLE search_backfill",
        ] + (isSQLite ? SQLiteStore.tablesCreated(after: 9) : PostgresStore.tablesCreated(after: 9)).map { "DROP TABLE \($0)" }
          + ["DELETE FROM schema_migrations WHERE version >= 9"])
        let (seconds, rssMB) = try PDFCompare.timedProcess([binary, "migrate", "--database", url])
        let indexed = try await sql([])
        guard indexed == total else { throw ValidationError("gazette migrate indexed \(indexed) of \(total) posts") }
        return ["seconds": round3(seconds), "peak_rss_mb": (rssMB * 10).rounded() / 10, "posts_indexed": indexed,
                "posts_per_s": Int(Double(total) / seconds)]
    }

    /// Runs `sql` on `store`, or without statements counts the index rows, and closes the store.
    static func withStore(_ store: any GazetteStore & RawSQLExecuting, _ sql: [String]) async throws -> Int {
        do {
            for statement in sql { try await store.executeRaw(statement) }
            // Statements that take the database back drop the index too: only a call without statements counts it.
            let count = sql.isEmpty ? try await store.countRaw("SELECT COUNT(*) FROM post_search") : 0
            await store.shutdown()
            return count
        } catch {
            await store.shutdown()
            throw error
        }
    }

    func round3(_ x: Double) -> Double { StorageBench.round3(x) }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async throws -> [T] {
        var out: [T] = []
        for element in self { out.append(try await transform(element)) }
        return out
    }
}
