import ArgumentParser
import Foundation
import GazetteCore
import GazetteDigest
import GazetteStorage
import Logging
import GazetteMetrics

/// `gazette-bench digest`: end-to-end digest latency for 10 channels × 100 posts read from a SQLite store
/// (window query, duplicate collapsing, extractive summaries, markdown, PDF render), cache disabled.
struct DigestBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "End-to-end digest latency, 10 channels × 100 posts from SQLite (bench/results/digest.json).")

    @Option(help: "Channels in the user's subscription.") var channels = 10
    @Option(help: "Posts per channel in the window.") var posts = 100
    @Option(help: "Timed runs.") var runs = 50
    @Option(help: "Directory for the JSON result.") var out = "bench/results"

    func run() async throws {
        let logger = Logger(label: "gazette.bench.digest")
        let dir = try BenchScratch.directory("gazette-bench-digest")
        defer { BenchScratch.remove(dir.path) }
        let store = try await StoreFactory.open(databaseURL: "sqlite:\(dir.path)/bench.sqlite", logger: logger)
        let now = Date()
        let user: Int64 = 1
        try await DigestWorkload.seed(store, user: user, channels: channels, posts: posts, now: now)
        let registry = MetricRegistry()
        let service = DigestService(store: store, summarizer: ExtractiveSummarizer(),
                                    renderer: MeteredRenderer(metrics: PDFMetrics(registry: registry)),
                                    options: DigestOptions(cacheTTL: 0), logger: logger)
        let clock = ContinuousClock()
        // Warm-up (fonts, SQLite page cache), not timed.
        let warm = try await service.pdf(userID: user, hours: 24, now: now)

        var pdfSamples: [Double] = []
        var markdownSamples: [Double] = []
        for _ in 0..<runs {
            let md = try await clock.measure { _ = try await service.digest(userID: user, hours: 24, now: now) }
            markdownSamples.append(md.inSeconds)
            let pdf = try await clock.measure { _ = try await service.pdf(userID: user, hours: 24, now: now) }
            pdfSamples.append(pdf.inSeconds)
        }
        await store.shutdown()
        func ms(_ v: Double) -> Double { (v * 100_000).rounded() / 100 }
        try writeResult([
            "benchmark": "digest end-to-end (extractive, cache disabled)",
            "channels": channels, "posts_per_channel": posts, "runs": runs,
            "pdf_pages": warm.pages, "pdf_bytes": warm.data.count, "digest_posts": warm.posts, "digest_channels": warm.channels,
            "pdf_ms_p50": ms(percentile(pdfSamples, 50)), "pdf_ms_p95": ms(percentile(pdfSamples, 95)),
            "markdown_ms_p50": ms(percentile(markdownSamples, 50)), "markdown_ms_p95": ms(percentile(markdownSamples, 95)),
            "target_ms_p95": 200,
            "note": "pdf = window query + summaries + markdown + PDF render; markdown = the same without the render",
        ], name: "digest", directory: out)
    }
}

/// Post texts for the benchmark: several sentences each, Russian and English, varied enough for TF-IDF to work.
enum DigestWorkload {
    static let english = [
        "The city council approved a new budget for public transport on Tuesday.",
        "Engineers at the plant finished testing the second production line ahead of schedule.",
        "Analysts expect electricity prices to fall by 4.5% next quarter, e.g. thanks to new solar farms.",
        "Dr. Miller said the vaccine trial enrolled more than 3,000 volunteers in six countries.",
        "The team released version 2.1 of the app with offline maps and a faster search.",
        "Read the full report at https://example.org/reports/2026/q4.html for the details.",
        "Fans lined up for hours before the concert, and tickets sold out in 12 minutes 🎉",
        "A new bridge across the river will cut commuting time by about 20 min.",
    ]
    static let russian = [
        "Городские власти утвердили новый бюджет на развитие общественного транспорта.",
        "Инженеры завода завершили испытания второй производственной линии раньше срока.",
        "Аналитики ожидают снижения цен на электроэнергию на 4,5% в следующем квартале, т.е. уже весной.",
        "По словам проф. Миллера, в испытаниях вакцины участвуют более 3 тыс. добровольцев.",
        "Команда выпустила версию 2.1 приложения с офлайн-картами и быстрым поиском.",
        "Полный отчёт опубликован на сайте https://example.org/reports/2026/q4.html.",
        "Билеты на концерт раскупили за 12 минут, поклонники стояли в очереди несколько часов 🎉",
        "Новый мост через реку сократит время в пути примерно на 20 мин.",
    ]

    /// `channels` channels of `posts` posts each (one every 10 minutes, newest a minute old), subscribed by `user`.
    static func seed(_ store: any ChannelStore & PostStore, user: Int64, channels: Int, posts: Int, now: Date) async throws {
        for c in 0..<channels {
            let name = "bench_channel_\(c)"
            let (channel, _) = try await store.subscribe(userID: user, ref: .telegram(username: name), tags: [])
            let batch = (0..<posts).map { i in
                Post(channel: name, messageID: Int64(i + 1), text: text(channel: c, post: i),
                     date: now.addingTimeInterval(-Double(i) * 600 - 60), views: 100 + (i * 37 + c * 11) % 5000,
                     url: "https://t.me/\(name)/\(i + 1)")
            }
            _ = try await store.savePosts(batch, channelID: channel.id, outcome: nil, dedupWindow: 0)
        }
    }

    static func text(channel: Int, post: Int) -> String {
        let pool = channel % 2 == 0 ? english : russian
        let count = 2 + (post + channel) % 4
        return (0..<count).map { k in pool[(post * 3 + k * 5 + channel) % pool.count] }.joined(separator: " ")
            + " #\(channel)-\(post)"
    }
}
