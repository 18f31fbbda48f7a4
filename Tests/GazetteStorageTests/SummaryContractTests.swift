import Foundation
import GazetteCore
@testable import GazetteStorage
import Testing

@Suite("Store contract: the summary cache")
struct SummaryContractTests {
    private func entry(_ key: String, _ text: String, made: Date = t0, expires: Date = t0 + 3600, calls: Int = 0) -> CachedSummary {
        CachedSummary(key: key, summarizer: "llm", summary: text, llmCalls: calls, createdAt: made, expiresAt: expires)
    }

    @Test("entries are found by key until they expire, many keys in one call; storing again replaces", arguments: StoreKind.available)
    func lookup(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let a = entry("s1:a", #"{"summary":"Первый пункт"}"#, calls: 2)
            let b = entry("s1:b", "second", expires: t0 + 60)
            try await store.storeSummaries([a, b])
            #expect(try await store.cachedSummaries(keys: ["s1:a", "s1:b", "s1:missing"], now: t0 + 10) == ["s1:a": a, "s1:b": b])
            #expect(try await store.cachedSummaries(keys: ["s1:a", "s1:b"], now: t0 + 60) == ["s1:a": a], "b expired at t0 + 60")
            #expect(try await store.cachedSummaries(keys: [], now: t0).isEmpty)

            var replaced = a
            replaced.summary = "made again"
            replaced.llmCalls = 1
            try await store.storeSummaries([replaced])
            #expect(try await store.cachedSummaries(keys: ["s1:a"], now: t0)["s1:a"] == replaced)
            #expect(try await store.summaryCacheSize() == CacheSize(entries: 2, bytes: Int64("made again".utf8.count + 6)))
        }
    }

    @Test("a failure entry keeps its fallback, failure count and retry time", arguments: StoreKind.available)
    func failure(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let failed = CachedSummary(key: "s1:f", summarizer: "llm", summary: "extractive fallback", failures: 2, retryAt: t0 + 240,
                                       createdAt: t0, expiresAt: t0 + 3600)
            try await store.storeSummaries([failed])
            let found = try await store.cachedSummaries(keys: ["s1:f"], now: t0 + 1)["s1:f"]
            #expect(found == failed)
            #expect(found?.isFailure == true)

            // The LLM answered later: the summary replaces the failure.
            let made = entry("s1:f", "the LLM's own", made: t0 + 300, calls: 1)
            try await store.storeSummaries([made])
            #expect(try await store.cachedSummaries(keys: ["s1:f"], now: t0 + 301)["s1:f"]?.isFailure == false)
        }
    }

    @Test("bad entries and keys are refused and nothing of the batch is written", arguments: StoreKind.available)
    func badInput(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let good = entry("s1:good", "fine")
            var long = entry(String(repeating: "k", count: CachedSummary.maxKeyLength + 1), "x")
            await #expect(throws: StoreError.self) { try await store.storeSummaries([good, long]) }
            long.key = "s1:nul"
            long.summary = "a\u{0}b"
            await #expect(throws: StoreError.self) { try await store.storeSummaries([good, long]) }
            let noRetry = CachedSummary(key: "s1:r", summarizer: "llm", summary: "x", failures: 1, createdAt: t0, expiresAt: t0 + 1)
            await #expect(throws: StoreError.self) { try await store.storeSummaries([good, noRetry]) }
            await #expect(throws: StoreError.self) { _ = try await store.cachedSummaries(keys: [""], now: t0) }
            await #expect(throws: StoreError.self) {
                _ = try await store.cachedSummaries(keys: (0...1000).map { "s1:\($0)" }, now: t0)
            }
            let size = try await store.summaryCacheSize()
            #expect(size == CacheSize(entries: 0, bytes: 0))
        }
    }

    @Test("trimming drops expired entries, then the oldest made beyond the byte bound", arguments: StoreKind.available)
    func trim(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let text = String(repeating: "ы", count: 500)  // 1,000 bytes
            try await store.storeSummaries((0..<5).map { i in
                entry("s1:\(i)", text, made: t0 + Double(i), expires: t0 + (i == 0 ? 50 : 3600))
            })
            // At t0 + 100 entry 0 has expired; 2,500 bytes keep the two newest (4 and 3).
            #expect(try await store.trimSummaryCache(now: t0 + 100, maxBytes: 2500) == 3)
            #expect(try await store.summaryCacheSize() == CacheSize(entries: 2, bytes: 2000))
            let left = try await store.cachedSummaries(keys: (0..<5).map { "s1:\($0)" }, now: t0 + 100)
            #expect(Set(left.keys) == ["s1:3", "s1:4"])
            #expect(try await store.trimSummaryCache(now: t0 + 100, maxBytes: 2500) == 0)
            await #expect(throws: StoreError.self) { _ = try await store.trimSummaryCache(now: t0, maxBytes: -1) }
            #expect(try await store.trimSummaryCache(now: t0 + 100, maxBytes: 0) == 2)
            #expect(try await store.summaryCacheSize() == CacheSize(entries: 0, bytes: 0))
        }
    }

    @Test("two store instances on one database share the cache (two processes)", arguments: StoreKind.available)
    func shared(kind: StoreKind) async throws {
        try await withFreshStores(kind, stores: 2) { stores in
            let a = entry("s1:shared", "made by the server")
            try await stores[0].storeSummaries([a])
            #expect(try await stores[1].cachedSummaries(keys: ["s1:shared"], now: t0)["s1:shared"] == a)
        }
    }
}
