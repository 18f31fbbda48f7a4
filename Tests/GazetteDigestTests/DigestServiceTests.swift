import Foundation
import GazetteCore
import GazetteMetrics
import Testing
@testable import GazetteDigest

@Suite struct DigestServiceTests {
    static let now = SamplePosts.base.addingTimeInterval(60)

    static func service(_ store: any GazetteStore, renderer: CountingRenderer = CountingRenderer(),
                        registry: MetricRegistry = MetricRegistry(),
                        options: DigestOptions = DigestOptions()) -> DigestService {
        DigestService(store: store, summarizer: ExtractiveSummarizer(),
                      renderer: MeteredRenderer(renderer: renderer, metrics: PDFMetrics(registry: registry)), options: options)
    }

    @Test func markdownDigestFromTheDatabaseMergesCrossPostsIntoOneStory() async throws {
        try await withStore { store in
            try await seed(store, user: 7, channel: "avto_tech", title: "Авто и технологии", posts: SamplePosts.russian)
            var english = SamplePosts.english
            english.append(SamplePosts.post("space_wire", 299, SamplePosts.russian[0].text, views: 10, minutesAgo: 5))
            try await seed(store, user: 7, channel: "space_wire", title: "Space Wire", posts: english)
            let result = try await Self.service(store).digest(userID: 7, hours: 24, now: Self.now)
            #expect(result.posts == 11)
            let story = try #require(result.stories?.first)
            #expect(story.corroboration == 2)
            #expect(story.posts.map(\.channel).sorted() == ["avto_tech", "space_wire"])
            let block = result.markdown.components(separatedBy: "### 1. ")[1].components(separatedBy: "\n## ")[0]
            #expect(block.contains("space\\_wire/299") || block.contains("space_wire/299"))
        }
    }

    @Test func digestSaysWhichChannelsItCouldNotRead() async throws {
        try await withStore { store in
            try await seed(store, user: 7, channel: "space_wire", title: "Space Wire", posts: SamplePosts.english)
            let (invite, _) = try await store.subscribe(userID: 7, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            try await store.recordFetch(channelID: invite.id, owner: "w", outcome: .failure(
                at: Self.now, error: "waiting for login: private channel: only the account can join it", nextAttemptAt: Self.now + 3600))
            // A private channel the account asked to join: where joining stands, as the worker recorded it.
            let (pending, _) = try await store.subscribe(userID: 7, ref: .invite(hash: "ZyXwVuTsRqPo"), tags: [])
            try await store.recordAccountJoin(channelID: pending.id, .requested)
            try await store.recordFetch(channelID: pending.id, owner: "w", outcome: .failure(
                at: Self.now, error: AccountJoin.requested.summary, nextAttemptAt: Self.now + 3600))
            let result = try await Self.service(store).digest(userID: 7, hours: 24, now: Self.now)
            #expect(result.metadata.unreadChannels == ["+AbCdEfGhIjKl (waiting for login)",
                                                       "+ZyXwVuTsRqPo (join requested, waiting for approval)"])
            #expect(result.markdown.contains("Not read this time: \\+AbCdEfGhIjKl (waiting for login), \\+ZyXwVuTsRqPo")
                    || result.markdown.contains("Not read this time: +AbCdEfGhIjKl (waiting for login), +ZyXwVuTsRqPo"), "\(result.markdown)")
            let text = TextDigest.render(result, style: .plain)
            #expect(text.contains("Not read this time: +AbCdEfGhIjKl (waiting for login), +ZyXwVuTsRqPo (join requested, waiting for approval)."))
        }
    }

    @Test func markdownDigestByChannelCollapsesCrossPosts() async throws {
        try await withStore { store in
            try await seed(store, user: 7, channel: "avto_tech", title: "Авто и технологии", posts: SamplePosts.russian)
            var english = SamplePosts.english
            // The same text cross-posted in another channel with fewer views: shown once, in avto_tech.
            english.append(SamplePosts.post("space_wire", 299, SamplePosts.russian[0].text, views: 10, minutesAgo: 5))
            try await seed(store, user: 7, channel: "space_wire", title: "Space Wire", posts: english)
            try await seed(store, user: 8, channel: "other_user", posts: [SamplePosts.post("other_user", 1, "Not for user seven.")])

            let result = try await Self.service(store, options: DigestOptions(byChannel: true)).digest(userID: 7, hours: 24, now: Self.now)
            #expect(result.channels == 2)
            #expect(result.posts == 10)
            #expect(result.collapsedDuplicates == 1)
            #expect(result.summaries.map(\.title) == ["Авто и технологии", "Space Wire"])
            #expect(result.markdown.contains("## Авто и технологии"))
            #expect(result.markdown.contains("## Space Wire"))
            #expect(!result.markdown.contains("Not for user seven"))
            #expect(!result.markdown.contains("space_wire/299"))
        }
    }

    @Test func secondPDFComesFromTheCacheUntilSomethingChanges() async throws {
        try await withStore { store in
            let channel = try await seed(store, user: 7, channel: "space_wire", posts: SamplePosts.english)
            let renderer = CountingRenderer()
            let registry = MetricRegistry()
            let service = Self.service(store, renderer: renderer, registry: registry)

            let first = try await service.pdf(userID: 7, hours: 24, now: Self.now)
            #expect(!first.cacheHit)
            #expect(first.data.starts(with: Data("%PDF".utf8)))
            #expect(first.pages >= 1)
            #expect(first.channels == 1)
            #expect(first.posts == 5)

            let second = try await service.pdf(userID: 7, hours: 24, now: Self.now.addingTimeInterval(60))
            #expect(second.cacheHit)
            #expect(second.data == first.data)
            #expect(second.pages == first.pages)
            #expect(second.channels == 1)
            #expect(second.posts == 5)
            #expect(renderer.count == 1)

            // Another window is another digest.
            let longer = try await service.pdf(userID: 7, hours: 48, now: Self.now.addingTimeInterval(60))
            #expect(!longer.cacheHit)

            // A new post changes the key.
            _ = try await store.savePosts([SamplePosts.post("space_wire", 206, "Breaking: the launch moved to April.", views: 50)],
                                          channelID: channel.id, outcome: nil, dedupWindow: 7 * 86400)
            let third = try await service.pdf(userID: 7, hours: 24, now: Self.now.addingTimeInterval(120))
            #expect(!third.cacheHit)
            #expect(third.posts == 6)

            // So does a new subscription.
            try await seed(store, user: 7, channel: "avto_tech", posts: [])
            let fourth = try await service.pdf(userID: 7, hours: 24, now: Self.now.addingTimeInterval(180))
            #expect(!fourth.cacheHit)
            #expect(renderer.count == 4)

            // The entry expires after the TTL.
            let late = try await service.pdf(userID: 7, hours: 24, now: Self.now.addingTimeInterval(180 + 3601))
            #expect(!late.cacheHit)

            let metrics = registry.text()
            #expect(metrics.contains("pdf_generation_duration_seconds_count 5"))
            #expect(metrics.contains("pdf_pages_total_count 5"))
            #expect(metrics.contains("pdf_file_size_bytes_count 5"))
        }
    }

    /// Progress is a parameter of the call (issue 23: a task-local of a function type crashed the release build).
    @Test func pdfReportsEachChannelSummarizedToItsProgressAndNothingFromTheCache() async throws {
        try await withStore { store in
            try await seed(store, user: 7, channel: "avto_tech", posts: SamplePosts.russian)
            try await seed(store, user: 7, channel: "space_wire", posts: SamplePosts.english)
            let service = Self.service(store, options: DigestOptions(byChannel: true))
            let heard = ProgressLog()
            let first = try await service.pdf(userID: 7, hours: 24, now: Self.now) { done, total, message in
                await heard.add(done, total, message)
            }
            #expect(first.channels == 2)
            // Posts gathered, two channel sections, the PDF rendered: reported while the work goes on, not at its end.
            #expect(await heard.steps.map(\.done) == [1, 2, 3, 4])
            #expect(await heard.steps.map(\.total) == [4, 4, 4, 4])
            #expect(await heard.steps.map(\.message).first == "posts gathered, 2 channel sections to summarize")
            #expect(await heard.steps.map(\.message).last?.hasPrefix("PDF rendered") == true)
            let cached = try await service.pdf(userID: 7, hours: 24, now: Self.now) { done, total, message in
                await heard.add(done, total, message)
            }
            #expect(cached.cacheHit)
            #expect(await heard.steps.count == 4)
        }
    }

    @Test func cacheCanBeDisabled() async throws {
        try await withStore { store in
            try await seed(store, user: 7, channel: "space_wire", posts: SamplePosts.english)
            let renderer = CountingRenderer()
            let service = Self.service(store, renderer: renderer, options: DigestOptions(cacheTTL: 0))
            _ = try await service.pdf(userID: 7, hours: 24, now: Self.now)
            let again = try await service.pdf(userID: 7, hours: 24, now: Self.now)
            #expect(!again.cacheHit)
            #expect(renderer.count == 2)
        }
    }

    @Test func renderFailureIsCountedAndTheTextFallbackWorks() async throws {
        try await withStore { store in
            try await seed(store, user: 7, channel: "avto_tech", posts: SamplePosts.russian)
            let registry = MetricRegistry()
            let service = Self.service(store, renderer: CountingRenderer(failing: .renderFailed("cairo said no")), registry: registry)
            await #expect(throws: DigestError.self) { try await service.pdf(userID: 7, hours: 24, now: Self.now) }
            do throws(DigestError) {
                _ = try await service.pdf(userID: 7, hours: 24, now: Self.now)
            } catch {
                guard case .renderFailed(let type, _) = error else { Issue.record("unexpected \(error)"); return }
                #expect(type == .renderFailed)
            }
            #expect(registry.text().contains(#"pdf_generation_errors_total{error_type="render_failed"} 2"#))

            let messages = try await service.textDigest(userID: 7, hours: 24, now: Self.now, style: .telegramHTML)
            #expect(!messages.isEmpty)
            #expect(messages.allSatisfy { $0.utf16.count <= 4096 })
            #expect(messages[0].contains("avto_tech"))
            #expect(messages.joined().contains(#"<a href="https://t.me/avto_tech/10"#))
        }
    }

    @Test func limitsAreTenChannelsOfAHundredPosts() async throws {
        try await withStore { store in
            for c in 0..<12 {
                let name = "channel_\(c)_demo"
                let posts = (0..<(110 + c)).map { i in
                    SamplePosts.post(name, Int64(i + 1), "Post \(i) of channel \(c) about the lunar mission and its crew, number \(c * 1000 + i).",
                                     views: i, minutesAgo: i)
                }
                try await seed(store, user: 7, channel: name, posts: posts)
            }
            let result = try await Self.service(store).digest(userID: 7, hours: 24, now: Self.now)
            #expect(result.channels == 10)
            #expect(result.summaries.allSatisfy { $0.postCount == 100 })
            // The channels with the most posts win.
            #expect(!result.summaries.contains { $0.channel == "channel_0_demo" || $0.channel == "channel_1_demo" })
            let messages = try await Self.service(store).textDigest(userID: 7, hours: 24, now: Self.now)
            #expect(messages.allSatisfy { $0.utf16.count <= 4096 })
        }
    }

    @Test(arguments: [0, -1, 169, 10_000])
    func hoursOutsideTheRangeAreRefused(_ hours: Int) async throws {
        try await withStore { store in
            await #expect(throws: DigestError.invalidArgument(name: "hours", reason: "expected a whole number of hours in 1…168, got \(hours)")) {
                try await Self.service(store).digest(userID: 7, hours: hours, now: Self.now)
            }
        }
    }

    @Test func emptyWindowStillGivesADigest() async throws {
        try await withStore { store in
            let result = try await Self.service(store).digest(userID: 7, hours: 24, now: Self.now)
            #expect(result.posts == 0)
            #expect(result.markdown.contains("No new posts in the last 24 hours."))
            let text = try await Self.service(store).textDigest(userID: 7, hours: 24, now: Self.now)
            #expect(text.count == 1)
        }
    }

    @Test func channelDigestNeedsASubscription() async throws {
        try await withStore { store in
            try await seed(store, user: 7, channel: "space_wire", title: "Space Wire", posts: SamplePosts.english)
            let service = Self.service(store)
            let summary = try await service.channelDigest(userID: 7, channel: .telegram(username: "space_wire"), hours: 72, now: Self.now)
            #expect(summary.title == "Space Wire")
            #expect(summary.postCount == 5)
            await #expect(throws: DigestError.notSubscribed("durov")) {
                try await service.channelDigest(userID: 7, channel: .telegram(username: "durov"), hours: 72, now: Self.now)
            }
        }
    }
}

/// What a digest's progress heard, in order.
actor ProgressLog {
    private(set) var steps: [(done: Int, total: Int, message: String)] = []
    func add(_ done: Int, _ total: Int, _ message: String) { steps.append((done, total, message)) }
}
