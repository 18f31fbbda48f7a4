import ArgumentParser
import Foundation
import GazetteCore
import GazetteDigest
import GazetteMetrics
import GazetteStorage
import GazetteTestSupport
import GazetteWeb
import Hummingbird
import Logging
import Synchronization

/// `gazette-bench summary-cache` (issue 28): the web reader's digest page (`/u/<token>/digest?hours=24`: digest, HTML,
/// page) for 10 channels × 100 posts from SQLite, with the summary cache off (every view made afresh, as before) and on,
/// in the same run on the same store: warm latency, and pages per second under 8 concurrent readers. Then the LLM
/// summarizer against a fake OpenAI-compatible server on loopback: its calls on a first view, a second view, and after
/// one new post.
struct SummaryCacheBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary-cache",
        abstract: "Digest page with the summary cache off and on, and LLM calls saved (bench/results/summary-cache.json).")

    @Option(help: "Channels in the user's subscription.") var channels = 10
    @Option(help: "Posts per channel in the window.") var posts = 100
    @Option(help: "Timed warm views per setting.") var runs = 30
    @Option(help: "Concurrent readers.") var readers = 8
    @Option(help: "Seconds of concurrent reading per setting.") var seconds = 8.0
    @Option(help: "Directory for the JSON result.") var out = "bench/results"

    func run() async throws {
        let logger = Logger(label: "gazette.bench.summary-cache")
        let dir = try BenchScratch.directory("gazette-bench-summary-cache")
        defer { BenchScratch.remove(dir.path) }
        let store = try await StoreFactory.open(databaseURL: "sqlite:\(dir.path)/bench.sqlite", logger: logger)
        let now = Date()
        let user: Int64 = 1
        try await DigestWorkload.seed(store, user: user, channels: channels, posts: posts, now: now)
        let off = try Self.reader(store, cacheBytes: 0, now: now, logger: logger)
        let on = try Self.reader(store, cacheBytes: 64 << 20, now: now, logger: logger)
        // Warm-up (and the cache's first fill), not timed.
        _ = try await off.digestPageHTML(userID: user, hours: 24)
        let page = try await on.digestPageHTML(userID: user, hours: 24)
        guard page == (try await off.digestPageHTML(userID: user, hours: 24)) else {
            throw ValidationError("the page with the cache differs from the page without it")
        }

        let clock = ContinuousClock()
        var offSamples: [Double] = [], onSamples: [Double] = []
        for _ in 0..<runs {  // interleaved, so both settings see the same machine
            offSamples.append(try await clock.measure { _ = try await off.digestPageHTML(userID: user, hours: 24) }.inSeconds)
            onSamples.append(try await clock.measure { _ = try await on.digestPageHTML(userID: user, hours: 24) }.inSeconds)
        }
        let offLoad = try await concurrently(off, user: user)
        let onLoad = try await concurrently(on, user: user)

        let llm = try await llmCalls(store: store, user: user, now: now, logger: logger)
        await store.shutdown()

        func ms(_ v: Double) -> Double { (v * 100_000).rounded() / 100 }
        let ratio = onLoad.pagesPerSecond / max(offLoad.pagesPerSecond, 0.001)
        var result: [String: Any] = [
            "benchmark": "web digest page with the summary cache off and on (extractive), and LLM calls with a fake LLM",
            "channels": channels, "posts_per_channel": posts, "runs": runs, "readers": readers, "seconds_per_setting": seconds,
            "page_bytes": page.utf8.count,
            "off_page_ms_p50": ms(percentile(offSamples, 50)), "off_page_ms_p95": ms(percentile(offSamples, 95)),
            "on_page_ms_p50": ms(percentile(onSamples, 50)), "on_page_ms_p95": ms(percentile(onSamples, 95)),
            "warm_p95_target_ms": 30, "warm_p95_met": percentile(onSamples, 95) < 0.030,
            "off_pages_per_second": (offLoad.pagesPerSecond * 10).rounded() / 10,
            "on_pages_per_second": (onLoad.pagesPerSecond * 10).rounded() / 10,
            "off_concurrent_ms_p50": ms(percentile(offLoad.samples, 50)), "off_concurrent_ms_p95": ms(percentile(offLoad.samples, 95)),
            "on_concurrent_ms_p50": ms(percentile(onLoad.samples, 50)), "on_concurrent_ms_p95": ms(percentile(onLoad.samples, 95)),
            "throughput_ratio": (ratio * 100).rounded() / 100, "throughput_target_ratio": 5, "throughput_met": ratio >= 5,
            "note": "off = summary cache and story reuse off (every view clusters and summarizes, as before issue 28); "
                + "on = the same service with the cache on; same store, same process, interleaved warm runs",
        ]
        result["llm_calls_first_view"] = llm.first.values.reduce(0, +)
        result["llm_sections_first_view"] = llm.first.count
        result["llm_calls_second_view"] = llm.second.values.reduce(0, +)
        result["llm_calls_after_one_new_post"] = llm.afterNew.values.reduce(0, +)
        result["llm_calls_after_one_new_post_by_channel"] = llm.afterNew
        result["llm_calls_first_view_of_that_channel"] = llm.first["bench_channel_0"] ?? 0
        try writeResult(result, name: "summary-cache", directory: out)
    }

    /// The web reader over a digest service with the summary cache bounded at `cacheBytes` (0: off).
    static func reader(_ store: any GazetteStore, cacheBytes: Int64, summarizer: any Summarizer = ExtractiveSummarizer(), now: Date,
                       logger: Logger) throws -> WebReader {
        var options = DigestOptions(cacheTTL: 0)
        options.summaryCache = SummaryCacheSettings(maxBytes: cacheBytes)
        let service = DigestService(store: store, summarizer: summarizer,
                                    renderer: MeteredRenderer(metrics: PDFMetrics(registry: MetricRegistry())), options: options,
                                    summaryMetrics: SummaryCacheMetrics(registry: MetricRegistry()), logger: logger)
        return try WebReader(store: store, digests: service, version: "bench", logger: logger, now: { now })
    }

    /// LLM calls by channel of each view.
    struct LLMCalls: Sendable {
        var first: [String: Int]
        var second: [String: Int]
        var afterNew: [String: Int]
    }

    /// `readers` tasks asking for the page back to back for `seconds`.
    private func concurrently(_ reader: WebReader, user: Int64) async throws -> (pagesPerSecond: Double, samples: [Double]) {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + .milliseconds(Int(seconds * 1000))
        let samples = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<readers {
                group.addTask {
                    var mine: [Double] = []
                    while clock.now < deadline {
                        mine.append(try await clock.measure { _ = try await reader.digestPageHTML(userID: user, hours: 24) }.inSeconds)
                    }
                    return mine
                }
            }
            var all: [Double] = []
            for try await part in group { all += part }
            return all
        }
        return (Double(samples.count) / (clock.now - start).inSeconds, samples)
    }

    /// The LLM summarizer against a fake that counts its calls by channel (the prompt names it): calls on a first view, a
    /// second view, and after one new post in one channel.
    private func llmCalls(store: any GazetteStore, user: Int64, now: Date, logger: Logger) async throws -> LLMCalls {
        let calls = Mutex<[String: Int]>([:])
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            let body = String(buffer: try await request.body.collect(upTo: 8 << 20))
            let channel = body.firstMatch(of: /Telegram channel \\"([a-z_0-9]+)\\"/).map { String($0.1) } ?? "?"
            calls.withLock { $0[channel, default: 0] += 1 }
            let ids = body.matches(of: #/\[(\d+)\] /#).prefix(3).map { String($0.1) }
            let content = ids.map { "- A point of post \($0) [\($0)]" }.joined(separator: "\\n")
            let json = #"{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"\#(content)"}}]}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
        }
        return try await FakeServer.run(router) { url in
            let metrics = LLMMetrics(registry: MetricRegistry())
            let client = LLMClient(url: url, model: "bench-model", apiKey: nil, metrics: metrics)
            let page = try Self.reader(store, cacheBytes: 64 << 20, summarizer: LLMSummarizer(client: client, metrics: metrics), now: now,
                                       logger: logger)
            func taken() -> [String: Int] { calls.withLock { counted in defer { counted = [:] }; return counted } }
            _ = try await page.digestPageHTML(userID: user, hours: 24)
            let first = taken()
            _ = try await page.digestPageHTML(userID: user, hours: 24)
            let second = taken()
            // One new post in the first channel, about nothing else in the window.
            let channel = try await store.channel(ref: .telegram(username: "bench_channel_0"))
            let post = Post(channel: "bench_channel_0", messageID: 10_000, text: "A festival of rye bread opened in the old town square.",
                            date: now.addingTimeInterval(-30), views: 10, url: "https://t.me/bench_channel_0/10000")
            _ = try await store.savePosts([post], channelID: channel?.id ?? 0, outcome: nil, dedupWindow: 0)
            _ = try await page.digestPageHTML(userID: user, hours: 24)
            return LLMCalls(first: first, second: second, afterNew: taken())
        }
    }
}
