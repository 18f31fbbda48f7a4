import ArgumentParser
import Foundation
import GazetteAccount
import GazetteCore
import GazetteTestSupport

/// `gazette-bench account`: time to turn recorded TDLib history pages into posts — JSON decoding of `messages` pages
/// plus the mapping (entities → HTML, albums → one post, forwarded-from, counters).
struct AccountBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Map recorded TDLib messages into posts (bench/results/account-mapping.json).")

    @Option(help: "Messages to map per run.") var messages = 10_000
    @Option(help: "Runs to time.") var iterations = 20
    @Option(help: "Directory for the JSON result.") var out = "bench/results"

    func run() async throws {
        let pages = try Self.pages(count: messages)
        let mapping = MessageMapping(channelKey: "gazette_demo", username: "gazette_demo")
        let origins: [TDForwardOrigin: String] = [.channel(id: -1009876543210): "Source News"]
        let decoder = JSONDecoder()
        func once() throws -> Int {
            var all: [TDMessage] = []
            all.reserveCapacity(messages)
            for page in pages { all += try decoder.decode(BenchMessages.self, from: page).messages }
            return mapping.posts(all, origins: origins).count
        }
        let posts = try once()  // warm-up, and the post count
        var samples: [Double] = []
        var mapOnly: [Double] = []
        let clock = ContinuousClock()
        var decoded: [TDMessage] = []
        for page in pages { decoded += try decoder.decode(BenchMessages.self, from: page).messages }
        for _ in 0..<iterations {
            samples.append(try clock.measure { _ = try once() }.inSeconds)
            mapOnly.append(clock.measure { _ = mapping.posts(decoded, origins: origins) }.inSeconds)
        }
        try writeResult([
            "benchmark": "TDLib messages → posts",
            "fixture": "Tests/Fixtures/tdlib/history_public.json (its messages repeated with new ids)",
            "messages": messages, "pages_of_100": pages.count, "posts": posts, "iterations": iterations,
            "ms_decode_and_map_median": (percentile(samples, 50) * 1e5).rounded() / 100,
            "ms_decode_and_map_p95": (percentile(samples, 95) * 1e5).rounded() / 100,
            "ms_map_only_median": (percentile(mapOnly, 50) * 1e5).rounded() / 100,
            "messages_per_s": (Double(messages) / percentile(samples, 50)).rounded(),
        ], name: "account-mapping", directory: out)
    }

    /// `messages` JSON pages of 100, as `getChatHistory` answers them: the fixture's messages cycled with fresh ids
    /// (albums keep their grouping under fresh album ids).
    static func pages(count: Int) throws -> [Data] {
        let root = try JSONSerialization.jsonObject(with: TestFixtures.data("tdlib/history_public.json")) as? [String: Any] ?? [:]
        var templates: [[String: Any]] = []
        for case let step as [String: Any] in root["steps"] as? [Any] ?? [] where step["on"] as? String == "getChatHistory" {
            for case let message as [String: Any] in (step["answer"] as? [String: Any])?["messages"] as? [Any] ?? [] {
                templates.append(message)
            }
        }
        guard !templates.isEmpty else { throw ValidationError("no messages in the fixture") }
        var messages: [[String: Any]] = []
        for i in 0..<count {
            var m = templates[i % templates.count]
            let round = i / templates.count
            m["id"] = Int64(100_000 + i) << 20
            if let album = m["media_album_id"] as? String, album != "0" { m["media_album_id"] = "\(album)\(round)" }
            messages.append(m)
        }
        return try stride(from: 0, to: messages.count, by: 100).map { start in
            let page: [String: Any] = ["@type": "messages", "total_count": count,
                                       "messages": Array(messages[start..<min(start + 100, messages.count)])]
            return try JSONSerialization.data(withJSONObject: page)
        }
    }
}

/// A `messages` page (the module's own type is internal).
private struct BenchMessages: Decodable {
    let messages: [TDMessage]
}
