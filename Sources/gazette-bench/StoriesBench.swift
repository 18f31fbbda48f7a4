import ArgumentParser
import Foundation
import GazetteCore
import GazetteDigest
import GazetteMetrics
import GazetteStorage
import Logging

/// `gazette-bench stories`: the digest with stories (issue 15) from a SQLite store: N channels × M posts, where many
/// posts of different channels report the same event in other words. Times the whole markdown digest (window query,
/// stemming, clustering, ranking, summaries of the rest, markdown), the PDF on top of it, and the clustering alone;
/// reports the process's peak RSS.
struct StoriesBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stories",
        abstract: "Digest with stories: N channels × M posts from SQLite, clustering cost apart (bench/results/<name>.json).")

    @Option(help: "Channels in the user's subscription.") var channels = 10
    @Option(help: "Posts per channel in the window.") var posts = 100
    @Option(help: "Timed runs.") var runs = 30
    @Option(help: "Also time the PDF (render included).") var pdf = true
    @Option(help: "Result name.") var name = "stories"
    @Option(help: "p95 target of the markdown digest, ms.") var targetMs = 250.0
    @Option(help: "Directory for the JSON result.") var out = "bench/results"

    func run() async throws {
        let logger = Logger(label: "gazette.bench.stories")
        let dir = try BenchScratch.directory("gazette-bench-stories")
        defer { BenchScratch.remove(dir.path) }
        let store = try await StoreFactory.open(databaseURL: "sqlite:\(dir.path)/bench.sqlite", logger: logger)
        let now = Date()
        let user: Int64 = 1
        var workload = StoryWorkload(channels: channels, postsPerChannel: posts)
        var groups: [ChannelPosts] = []
        for c in 0..<channels {
            let name = "bench_channel_\(c)"
            let (channel, _) = try await store.subscribe(userID: user, ref: .telegram(username: name), tags: [])
            let batch = (0..<posts).map { i in
                Post(channel: name, messageID: Int64(i + 1), text: workload.text(channel: c, post: i),
                     date: now.addingTimeInterval(-Double(i) * (20 * 3600 / Double(posts)) - 60), views: 100 + (i * 37 + c * 11) % 5000,
                     url: "https://t.me/\(name)/\(i + 1)")
            }
            _ = try await store.savePosts(batch, channelID: channel.id, outcome: nil, dedupWindow: 0)
            groups.append(ChannelPosts(channel: channel, posts: batch))
        }
        let registry = MetricRegistry()
        let options = DigestOptions(maxChannels: min(100, channels), maxPostsPerChannel: max(100, posts), cacheTTL: 0)
        let service = DigestService(store: store, summarizer: ExtractiveSummarizer(),
                                    renderer: MeteredRenderer(metrics: PDFMetrics(registry: registry)), options: options, logger: logger)
        let clock = ContinuousClock()
        let warm = try await service.digest(userID: user, hours: 24, now: now)  // not timed: SQLite page cache, stemmer pool

        var markdownSamples: [Double] = []
        var clusterSamples: [Double] = []
        var linkSamples: [Double] = []
        var pdfSamples: [Double] = []
        var stories = 0
        for _ in 0..<runs {
            markdownSamples.append(try await clock.measure { _ = try await service.digest(userID: user, hours: 24, now: now) }.inSeconds)
            clusterSamples.append(clock.measure { stories = StoryClusterer.stories(groups, now: now).count }.inSeconds)
            linkSamples.append(clock.measure { _ = StoryClusterer.clusterIndices(groups.flatMap { g in g.posts.map { StoryClusterer.Item(channel: g.channel, post: $0) } }) }.inSeconds)
            if pdf {
                pdfSamples.append(try await clock.measure { _ = try await service.pdf(userID: user, hours: 24, now: now) }.inSeconds)
            }
        }
        await store.shutdown()
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func ms(_ v: Double) -> Double { (v * 100_000).rounded() / 100 }
        var result: [String: Any] = [
            "benchmark": "digest with stories (extractive, cache disabled)",
            "channels": channels, "posts_per_channel": posts, "posts": channels * posts, "runs": runs,
            "stories": stories, "multi_channel_stories": warm.allStories.filter { $0.corroboration > 1 }.count,
            "markdown_ms_p50": ms(percentile(markdownSamples, 50)), "markdown_ms_p95": ms(percentile(markdownSamples, 95)),
            "clustering_ms_p50": ms(percentile(clusterSamples, 50)), "clustering_ms_p95": ms(percentile(clusterSamples, 95)),
            "linking_ms_p50": ms(percentile(linkSamples, 50)),
            "peak_rss_mb": (Double(usage.ru_maxrss) / 1024 * 10).rounded() / 10,
            "target_ms_p95": targetMs,
            "note": "markdown = window query + filters + stemming + clustering + ranking + summaries of the other posts + markdown; "
                + "clustering = StoryClusterer alone on the same posts (stemming, vectors, links, headlines, ranking); linking = vectors and links only; pdf = markdown + render",
        ]
        if pdf {
            result["pdf_ms_p50"] = ms(percentile(pdfSamples, 50))
            result["pdf_ms_p95"] = ms(percentile(pdfSamples, 95))
        }
        try writeResult(result, name: name, directory: out)
    }
}

/// Synthetic posts in pseudo-Russian and pseudo-English: a few hundred events, each reported by several channels with
/// different words around the event's own, plus posts about nothing in particular. Deterministic (a fixed LCG).
struct StoryWorkload {
    var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    let events: [[String]]
    let commonRU: [String]
    let commonEN: [String]
    let channels: Int

    init(channels: Int, postsPerChannel: Int) {
        self.channels = channels
        var rng = Self.LCG(state: 42)
        func word(_ syllables: [String], _ endings: [String]) -> String {
            let n = 2 + Int(rng.next() % 3)
            return (0..<n).map { _ in syllables[Int(rng.next() % UInt64(syllables.count))] }.joined()
                + endings[Int(rng.next() % UInt64(endings.count))]
        }
        let ru = ["ка", "ро", "ми", "на", "сто", "ле", "ви", "за", "до", "пре", "гу", "тер", "мос", "бал", "ри", "шан"]
        let en = ["ka", "ro", "mi", "na", "sto", "le", "vi", "za", "do", "pre", "gu", "ter", "mos", "bal", "ri", "shan"]
        let ruEnd = ["", "а", "ы", "ов", "ами", "ой", "ую"], enEnd = ["", "s", "ed", "ing", "er", "ly"]
        commonRU = (0..<3000).map { _ in word(ru, ruEnd) }
        commonEN = (0..<3000).map { _ in word(en, enEnd) }
        let total = max(1, channels * postsPerChannel / 4)
        events = (0..<total).map { e in
            let english = e % 2 == 1
            return (0..<8).map { _ in english ? word(en, enEnd).capitalized : word(ru, ruEnd) } + ["\(1000 + e * 7)"]
        }
    }

    struct LCG {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
    }

    mutating func text(channel: Int, post: Int) -> String {
        var rng = LCG(state: UInt64(channel * 100_003 + post) &* 2_654_435_761 &+ seed)
        let english = channel % 2 == 1
        let common = english ? commonEN : commonRU
        var words: [String] = []
        // Seven posts in ten report one of the language's events; which one spreads the events over the channels.
        if rng.next() % 10 < 7 {
            let pool = events.indices.filter { $0 % 2 == (english ? 1 : 0) }
            let event = events[pool[Int(rng.next() % UInt64(pool.count))]]
            let picked = event.filter { _ in rng.next() % 10 < 7 }
            words += picked.isEmpty ? [event[0]] : picked
        }
        let length = 20 + Int(rng.next() % 25)
        while words.count < length {
            let u = Double(rng.next() % 10_000) / 10_000
            words.append(common[Int(u * u * Double(common.count - 1))])  // frequent words more often
        }
        for i in stride(from: words.count - 1, to: 0, by: -1) { words.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        var sentences: [String] = []
        for start in stride(from: 0, to: words.count, by: 11) {
            let s = words[start..<min(words.count, start + 11)].joined(separator: " ")
            sentences.append(s.prefix(1).uppercased() + s.dropFirst() + ".")
        }
        return sentences.joined(separator: " ")
    }
}
