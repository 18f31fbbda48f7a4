import GazetteTestSupport
import Foundation
import GazetteCore
import GazetteSources
import GazetteStorage
@testable import GazetteWorker
import GazetteMetrics
import Testing

/// The real fetch path (fake t.me over HTTP, parser, worker, SQLite) never saves t.me's service messages.
@Suite("fetch passes with service messages")
struct ServiceMessagePassTests {
    /// `servicechan`: posts and service messages mixed over two pages (5 messages a page). `pinnedchan`: its newest
    /// page is only service messages, its posts are on the page before.
    static func channels(now: Date) -> FakeChannels {
        func message(_ id: Int64, _ text: String, service: Bool = false) -> SyntheticPreviewPage.Message {
            SyntheticPreviewPage.Message(id: id, date: now.addingTimeInterval(-Double(200 - id) * 600), text: text, isService: service)
        }
        return FakeChannels(messages: [
            "servicechan": [
                message(100, "Channel created", service: true),
                message(101, "Channel photo updated", service: true),
                message(102, "First post of servicechan"),
                message(103, "Channel name was changed to «Service Weekly»", service: true),
                message(104, "Second post of servicechan"),
                message(105, "Service Weekly pinned «First post of servicechan»", service: true),
                message(106, "Third post of servicechan"),
                message(107, "Channel photo removed", service: true),
            ],
            "pinnedchan": (100...104).map { message(Int64($0), "Post \($0) of pinnedchan") }
                + (105...109).map { message(Int64($0), "pinnedchan pinned «Post \($0 - 5) of pinnedchan»", service: true) },
        ])
    }

    @Test func savedPostsAndTheSavedCountLeaveServiceMessagesOut() async throws {
        let clock = ManualClock(Date())
        let fake = Self.channels(now: clock.now())
        try await FakeServer.run(fake.router()) { base in
            try await WorkerHarness.withSQLite { store, _ in
                try await WorkerHarness.subscribe(store, ["servicechan", "pinnedchan"])
                let config = WorkerHarness.config(base: base)
                let registry = MetricRegistry()
                try await WorkerHarness.withSources(config, registry: registry, clock: clock) { sources in
                    let worker = WorkerHarness.worker(store: store, sources: sources, registry: registry, config: config, clock: clock)

                    let report = try await worker.runPass()
                    #expect(report.failed == 0)
                    #expect(report.saved == 8)
                    let byName = Dictionary(uniqueKeysWithValues: report.channels.map { ($0.channel, $0) })
                    #expect(byName["servicechan"]?.saved == 3)
                    #expect(byName["pinnedchan"]?.saved == 5)
                    #expect(byName["pinnedchan"]?.pages == 2, "the page of pins does not end the paging")

                    let service = try #require(try await store.channel(ref: .telegram(username: "servicechan")))
                    let stored = try await store.posts(channelID: service.id, since: .distantPast, until: .distantFuture, limit: 100)
                    #expect(stored.map(\.messageID).sorted() == [102, 104, 106])
                    #expect(try await store.fetchState(channelID: service.id)?.lastMessageID == 106)
                    let pinned = try #require(try await store.channel(ref: .telegram(username: "pinnedchan")))
                    let pinnedPosts = try await store.posts(channelID: pinned.id, since: .distantPast, until: .distantFuture, limit: 100)
                    #expect(pinnedPosts.map(\.messageID).sorted() == [100, 101, 102, 103, 104])

                    // What get_posts_from_db and a digest read for the subscriber.
                    let forUser = try await store.posts(forUser: 1, since: .distantPast, until: .distantFuture, limits: WindowLimits())
                    let texts = forUser.flatMap(\.posts).map(\.text)
                    #expect(texts.count == 8)
                    #expect(!texts.contains { $0.contains("Channel") || $0.contains("pinned «") }, "\(texts)")

                    let text = registry.text()
                    #expect(WorkerHarness.value(text, #"post_fetcher_posts_saved_total{channel="servicechan"}"#) == 3)
                    #expect(WorkerHarness.value(text, #"post_fetcher_posts_saved_total{channel="pinnedchan"}"#) == 5)
                    #expect(WorkerHarness.value(text, #"post_fetcher_errors_total{error_type="layout_changed"}"#) == 0)
                }
            }
        }
    }
}
