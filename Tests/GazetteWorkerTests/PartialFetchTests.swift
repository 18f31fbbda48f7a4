import Foundation
import GazetteCore
import GazetteMetrics
import GazetteSources
import GazetteStorage
import GazetteTestSupport
@testable import GazetteWorker
import Hummingbird
import Testing

/// Issue 26: what a fetch read is kept when a later page fails, and a feed item whose date cannot be read is dated
/// from the feed, never "now".
@Suite("partial fetches and unreadable feed dates")
struct PartialFetchTests {
    /// The real t.me page of `topwar_official` (12 posts, cursor 70989); its older page answers garbage.
    @Test func anOlderPageAnsweringGarbageKeepsEveryPostOfTheNewerPage() async throws {
        let page = String(decoding: try TestFixtures.data("telegram-preview/full.html"), as: UTF8.self)
        let log = RequestLog()
        let router = Router()
        router.get("/s/:name") { request, _ -> Response in
            let before = request.uri.queryParameters.get("before")
            await log.record(before.map { "before=\($0)" } ?? "newest")
            return before == nil ? FakeServer.html(page) : FakeServer.html("\u{1}\u{2}\u{7F}��<<garbage>> ÿþ")
        }
        // The page's posts are of 28 February 2023: the clock stands a day later.
        let clock = ManualClock(Date(timeIntervalSince1970: 1_677_715_200))
        try await FakeServer.run(router) { base in
            try await WorkerHarness.withSQLite { store, _ in
                try await WorkerHarness.subscribe(store, ["topwar_official"])
                let config = WorkerHarness.config(base: base)
                let registry = MetricRegistry()
                try await WorkerHarness.withSources(config, registry: registry, clock: clock) { sources in
                    let worker = WorkerHarness.worker(store: store, sources: sources, registry: registry, config: config, clock: clock)

                    let report = try await worker.runPass()
                    #expect(await log.paths == ["newest", "before=70989"])
                    let channel = try #require(report.channels.first)
                    #expect(channel.status == .partial)
                    #expect(channel.saved == 12)
                    #expect(channel.pages == 1)
                    #expect(channel.errorType == .source(.layoutChanged))
                    #expect(channel.error?.contains("newer posts were saved") == true)
                    #expect(report.totals.failed == 0)

                    let stored = try #require(try await store.channel(ref: .telegram(username: "topwar_official")))
                    let posts = try await store.posts(channelID: stored.id, since: .distantPast, until: .distantFuture, limit: 100)
                    #expect(posts.count == 12, "every post of the page that was read is stored")
                    let text = registry.text()
                    #expect(WorkerHarness.value(text, #"post_fetcher_errors_total{error_type="layout_changed"}"#) == 1)
                    #expect(WorkerHarness.value(text, #"post_fetcher_posts_saved_total{channel="topwar_official"}"#) == 12)
                }
            }
        }
    }

    /// heise developer's real headlines; the middle item's date is written in German, which no form reads.
    static let feed = """
        <?xml version="1.0" encoding="utf-8"?>
        <rss version="2.0"><channel>
        <title>heise developer neueste Meldungen</title><link>http://www.heise.de/developer/</link>
        <item><title>Java-Anwendungsserver: Red Hat gibt WildFly 10 frei</title>
        <link>http://www.heise.de/developer/meldung/Java-Anwendungsserver-Red-Hat-gibt-WildFly-10-frei-3088438.html</link>
        <pubDate>Mon, 01 Feb 2016 17:22:00 +0100</pubDate></item>
        <item><title>Scrum Day 2016: Bewerbungen für Vorträge und Workshops</title>
        <link>http://www.heise.de/developer/meldung/Scrum-Day-2016-Bewerbungen-fuer-Vortraege-und-Workshops-3088627.html</link>
        <pubDate>Montag, 1. Februar 2016, 14:29 Uhr</pubDate></item>
        <item><title>Der Dotnet-Doktor: Auslesen und Sortieren von GPX-Dateien</title>
        <link>http://www.heise.de/developer/artikel/Auslesen-und-Sortieren-von-GPX-Dateien-3087150.html</link>
        <pubDate>Fri, 29 Jan 2016 13:59:00 +0100</pubDate></item>
        </channel></rss>
        """

    @Test func anUnreadableDateOnTheFirstFetchTakesTheEntryBeforeItAndIsCounted() async throws {
        let router = Router()
        router.get("/developer.rss") { _, _ -> Response in FakeServer.html(Self.feed) }
        let clock = ManualClock(Date(timeIntervalSince1970: 1_770_000_000))
        try await FakeServer.run(router) { base in
            try await WorkerHarness.withSQLite { store, _ in
                let url = base.appendingPathComponent("developer.rss").absoluteString
                _ = try await store.subscribe(userID: 1, ref: .feed(url: url), tags: [])
                var config = WorkerHarness.config(base: base)
                config.worker.postTTL = 36_500 * 86_400
                let registry = MetricRegistry()
                try await WorkerHarness.withSources(config, registry: registry, clock: clock) { sources in
                    let worker = WorkerHarness.worker(store: store, sources: sources, registry: registry, config: config, clock: clock)

                    let report = try await worker.runPass()
                    #expect(report.channels.first?.saved == 3)
                    let forUser = try await store.posts(forUser: 1, since: .distantPast, until: .distantFuture, limits: WindowLimits())
                    let posts = forUser.flatMap(\.posts)
                    let scrum = try #require(posts.first { $0.text.hasPrefix("Scrum Day 2016") })
                    #expect(scrum.date == Date(timeIntervalSince1970: 1_454_343_720), "the date of the entry before it (17:22 +0100)")
                    #expect(scrum.date < clock.now().addingTimeInterval(-86_400 * 365), "never the fetch time")
                    // The digest reads posts newest first: the undated item sits with its neighbour, above the older one.
                    let order = posts.sorted { $0.date > $1.date }.map { String($0.text.prefix(9)) }
                    #expect(order.last == "Der Dotne")
                    #expect(WorkerHarness.value(registry.text(), "feed_unparsed_dates_total{channel=\"\(url)\"}") == 1)

                    // A second pass reads the same feed again: counted again (the item still has no readable date), not
                    // stored again.
                    clock.advance(7_200)
                    let second = try await worker.runPass()
                    #expect(second.channels.first?.saved == 0)
                    #expect(WorkerHarness.value(registry.text(), "feed_unparsed_dates_total{channel=\"\(url)\"}") == 2)
                }
            }
        }
    }
}
