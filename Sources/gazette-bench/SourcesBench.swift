import ArgumentParser
import Foundation
import GazetteCore
import GazetteSources
import GazetteTestSupport

/// `gazette-bench sources`: parse rate of the full t.me preview fixture (libxml2 HTML parser + XPath).
struct SourcesBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "Parse rate of the full t.me preview fixture (bench/results/sources.json).")

    @Option(help: "The full preview page to parse (default: the repository's Tests/Fixtures copy).")
    var fixture = TestFixtures.url("telegram-preview/full.html").path
    @Option(help: "Parses to time.") var iterations = 300
    @Option(help: "Directory for the JSON result.") var out = "bench/results"

    func run() async throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixture))
        let base = URL(string: "https://t.me")!
        // Warm-up, and the post count of one page.
        guard case .channel(let page) = try TelegramPreviewParser.parse(data, channel: "topwar_official", baseURL: base) else {
            throw ValidationError("\(fixture) is not a channel preview page")
        }
        var samples: [Double] = []
        var posts = 0
        let clock = ContinuousClock()
        for _ in 0..<iterations {
            let elapsed = try clock.measure {
                if case .channel(let p) = try TelegramPreviewParser.parse(data, channel: "topwar_official", baseURL: base) {
                    posts += p.posts.count
                }
            }
            samples.append(elapsed.inSeconds)
        }
        let total = samples.reduce(0, +)
        try writeResult([
            "benchmark": "t.me preview parse",
            "fixture": fixture, "page_bytes": data.count, "posts_per_page": page.posts.count, "iterations": iterations,
            "pages_per_s": (Double(iterations) / total).rounded(),
            "posts_per_s": (Double(posts) / total).rounded(),
            "mb_per_s": (Double(data.count * iterations) / total / 1_000_000 * 10).rounded() / 10,
            "ms_per_page_median": (percentile(samples, 50) * 1e5).rounded() / 100,
            "ms_per_page_p95": (percentile(samples, 95) * 1e5).rounded() / 100,
        ], name: "sources", directory: out)
    }
}
