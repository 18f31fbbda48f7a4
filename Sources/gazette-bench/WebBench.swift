import ArgumentParser
import Foundation
import GazetteCore
import GazetteDigest
import GazetteMetrics
import GazetteStorage
import GazetteWeb
import Logging

/// `gazette-bench web`: the web reader's work for 10 channels × 100 posts from SQLite — the fresh digest page
/// (`/u/<token>/digest?hours=24`: the digest, cmark-gfm HTML and the mustache page), the HTML step alone (fragment +
/// template for the same markdown), and the Atom feed of 20 delivered digests (time and size).
struct WebBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web",
        abstract: "Web reader page and Atom feed, 10 channels × 100 posts from SQLite (bench/results/web.json).")

    @Option(help: "Channels in the user's subscription.") var channels = 10
    @Option(help: "Posts per channel in the window.") var posts = 100
    @Option(help: "Delivered digests in the feed.") var delivered = 20
    @Option(help: "Timed runs.") var runs = 30
    @Option(help: "Directory for the JSON result.") var out = "bench/results"

    func run() async throws {
        let logger = Logger(label: "gazette.bench.web")
        let dir = try BenchScratch.directory("gazette-bench-web")
        defer { BenchScratch.remove(dir.path) }
        let store = try await StoreFactory.open(databaseURL: "sqlite:\(dir.path)/bench.sqlite", logger: logger)
        let now = Date()
        let user: Int64 = 1
        try await DigestWorkload.seed(store, user: user, channels: channels, posts: posts, now: now)
        let service = DigestService(store: store, summarizer: ExtractiveSummarizer(),
                                    renderer: MeteredRenderer(metrics: PDFMetrics(registry: MetricRegistry())),
                                    options: DigestOptions(cacheTTL: 0), logger: logger)
        let digest = try await service.digest(userID: user, hours: 24, now: now)
        for d in 0..<delivered {
            let day = now.addingTimeInterval(-Double(d) * 86_400)
            _ = try await store.recordArchivedDigest(DigestContent(digest).archived(userID: user, kind: "daily", period: "bench-\(d)", at: day))
        }
        let reader = try WebReader(store: store, digests: service, version: "bench", logger: logger, now: { now })
        let templates = try WebTemplates()
        let clock = ContinuousClock()
        // Warm-up, not timed.
        let page = try await reader.digestPageHTML(userID: user, hours: 24)
        let (feed, _) = try await reader.feedXML(userID: user)

        var pageSamples: [Double] = [], markdownSamples: [Double] = [], htmlSamples: [Double] = [], feedSamples: [Double] = []
        for _ in 0..<runs {
            pageSamples.append(try await clock.measure { _ = try await reader.digestPageHTML(userID: user, hours: 24) }.inSeconds)
            markdownSamples.append(try await clock.measure { _ = try await service.digest(userID: user, hours: 24, now: now) }.inSeconds)
            htmlSamples.append(try clock.measure {
                let fragment = try DigestHTML.fragment(markdown: digest.markdown)
                _ = try templates.emailHTML(title: "bench", fragment: fragment)
            }.inSeconds)
            feedSamples.append(try await clock.measure { _ = try await reader.feedXML(userID: user) }.inSeconds)
        }
        await store.shutdown()
        func ms(_ v: Double) -> Double { (v * 100_000).rounded() / 100 }
        try writeResult([
            "benchmark": "web reader page and Atom feed (extractive, cache disabled)",
            "channels": channels, "posts_per_channel": posts, "runs": runs, "feed_entries": delivered,
            "digest_markdown_bytes": digest.markdown.utf8.count, "page_bytes": page.utf8.count, "feed_bytes": feed.utf8.count,
            "page_ms_p50": ms(percentile(pageSamples, 50)), "page_ms_p95": ms(percentile(pageSamples, 95)),
            "markdown_ms_p50": ms(percentile(markdownSamples, 50)), "markdown_ms_p95": ms(percentile(markdownSamples, 95)),
            "html_ms_p50": ms(percentile(htmlSamples, 50)), "html_ms_p95": ms(percentile(htmlSamples, 95)),
            "feed_ms_p50": ms(percentile(feedSamples, 50)), "feed_ms_p95": ms(percentile(feedSamples, 95)),
            "note": "page = digest (window query, stories, summaries, markdown) + cmark-gfm HTML + mustache page; "
                + "html = cmark-gfm HTML + mustache template of the same markdown; feed = 20 entries with their HTML",
        ], name: "web", directory: out)
    }
}
