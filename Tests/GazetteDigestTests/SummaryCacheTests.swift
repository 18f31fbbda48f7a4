import Foundation
import GazetteCore
import GazetteMetrics
import GazettePDF
import Synchronization
import Testing
@testable import GazetteDigest

/// The summary cache (issue 28) in the digest pipeline, against a fake OpenAI-compatible server on loopback that counts
/// its calls and a real SQLite store.
@Suite struct SummaryCacheTests {
    static let now = Date(timeIntervalSince1970: 1_764_000_000)
    static let channels = ["alpha", "bravo", "charlie"]
    static let events = [
        "The city council approved a budget of 42 million for public libraries on Monday.",
        "A magnitude 6.1 earthquake struck off the northern coast, officials said no damage was reported.",
    ]
    static let own = [
        "alpha": ["A rare comet will be visible tonight; astronomers recommend binoculars.",
                  "The museum of modern art opens a new wing devoted to sculpture next month."],
        "bravo": ["The national football team won the qualifier three to one in the capital.",
                  "A new tram line connects the airport with the central station from June."],
        "charlie": ["Heavy snow closed the mountain pass for trucks until Friday, road crews said.",
                    "The regional orchestra announced a free concert series in the city parks."],
    ]

    /// Three channels: two events all of them report (the top stories) and two posts of their own each (the sections).
    static func seedAll(_ store: any GazetteStore, user: Int64 = 1) async throws {
        var id: Int64 = 1
        for (c, channel) in channels.enumerated() {
            var posts: [Post] = []
            for (e, event) in events.enumerated() {
                posts.append(Post(channel: channel, messageID: id, text: event, date: now - Double(3600 * (3 + e)) - Double(c * 60),
                                  views: 5000))
                id += 1
            }
            for (o, text) in own[channel]!.enumerated() {
                posts.append(Post(channel: channel, messageID: id, text: text, date: now - Double(3600 * (5 + o)), views: 100))
                id += 1
            }
            try await seed(store, user: user, channel: channel, title: channel.capitalized, posts: posts)
        }
    }

    /// Answers two points citing the first posts of the request.
    static let answer: @Sendable (Int, String) -> FakeLLMServer.Reply = { _, body in
        let ids = body.matches(of: #/\[(\d+)\] /#).prefix(2).map { String($0.1) }
        return .answer(ids.map { "- Point about post \($0) [\($0)]" }.joined(separator: "\n"))
    }

    static func service(_ store: any GazetteStore, url: URL, registry: MetricRegistry, cacheBytes: Int64 = 1 << 20,
                        topStories: Int = 2) -> DigestService {
        var options = DigestOptions(cacheTTL: 0, topStories: topStories)
        options.summaryCache = SummaryCacheSettings(maxBytes: cacheBytes, retryBase: 60, retryMax: 600)
        return DigestService(store: store, summarizer: LLMSummarizerTests.summarizer(url, registry: registry, attempts: 1),
                             renderer: MeteredRenderer(metrics: PDFMetrics(registry: registry)), options: options,
                             summaryMetrics: SummaryCacheMetrics(registry: registry))
    }

    static func value(_ registry: MetricRegistry, _ line: String) -> Double? {
        registry.text().split(separator: "\n").first { $0.hasPrefix(line + " ") }
            .flatMap { Double($0.dropFirst(line.count + 1)) }
    }

    /// Channel key → the posts its section summarizes: the window's posts (in the store's order) no top story shows.
    static func sections(_ store: any GazetteStore, _ result: DigestResult, user: Int64 = 1) async throws -> [String: [Post]] {
        let shown = Set((result.stories ?? []).flatMap { $0.posts.map(\.id) })
        let groups = try await store.posts(forUser: user, since: result.metadata.since, until: result.metadata.until,
                                           limits: WindowLimits(maxChannels: 10, maxPostsPerChannel: 100))
        var out: [String: [Post]] = [:]
        for group in groups {
            let posts = group.posts.filter { !shown.contains("\($0.channel)/\($0.messageID)") }
            if !posts.isEmpty { out[group.channel.key] = posts }
        }
        return out
    }

    /// What the cache holds for the sections of `result`, looked up by the keys the digest makes.
    static func entries(_ store: any GazetteStore, _ result: DigestResult, identity: SummarizerIdentity) async throws -> [CachedSummary] {
        let keys = try await sections(store, result).map { channel, posts in
            SummaryCache.key(channel: channel, posts: posts, identity: identity, language: nil, maxSentences: 5)
        }
        let found = try await store.cachedSummaries(keys: keys, now: now)
        #expect(found.count == keys.count, "every section's key is in the cache")
        return Array(found.values)
    }

    @Test("first view N calls; a second view, the PDF and the delivered digest (another service on the same store) none")
    func repeatedViews() async throws {
        try await withStore { store in
            try await Self.seedAll(store)
            try await FakeLLMServer.with(reply: Self.answer) { url, log in
                let registry = MetricRegistry()
                let server = Self.service(store, url: url, registry: registry)
                let first = try await server.digest(userID: 1, hours: 24, now: Self.now)
                #expect(first.stories?.count == 2)
                let n = await log.bodies.count
                #expect(n == Self.channels.count, "one call per channel section")
                #expect(first.summaries.allSatisfy { $0.method == .llm })
                #expect(first.markdown.contains("Point about post"))

                let again = try await server.digest(userID: 1, hours: 24, now: Self.now + 30)
                #expect(await log.bodies.count == n)
                #expect(again.summaries.map(\.summary) == first.summaries.map(\.summary))
                _ = try await server.pdf(userID: 1, hours: 24, now: Self.now + 40)
                #expect(await log.bodies.count == n)

                // The bot's /digest is another process: a service of its own on the same database.
                let bot = Self.service(store, url: url, registry: MetricRegistry())
                guard case .pdf(_, let records) = try await bot.deliver(userID: 1, hours: 24, now: Self.now + 50, format: .pdf) else {
                    Issue.record("expected a PDF delivery")
                    return
                }
                #expect(!records.isEmpty)
                #expect(await log.bodies.count == n)

                #expect(Self.value(registry, #"summary_cache_misses_total{summarizer="llm"}"#) == Double(n))
                #expect(Self.value(registry, #"summary_cache_hits_total{summarizer="llm"}"#) == Double(2 * n))
                #expect(Self.value(registry, "summary_cache_llm_calls_saved_total") == Double(2 * n))
                // A summary and the model's answer it was made from, for each section.
                #expect(Self.value(registry, "summary_cache_entries") == Double(2 * n))
            }
        }
    }

    @Test("one new post, or one edited post, makes exactly the calls of the section it is in")
    func newPost() async throws {
        try await withStore { store in
            try await Self.seedAll(store)
            try await FakeLLMServer.with(reply: Self.answer) { url, log in
                let service = Self.service(store, url: url, registry: MetricRegistry())
                let before = try await service.digest(userID: 1, hours: 24, now: Self.now)
                let n = await log.bodies.count
                let old = try await Self.sections(store, before)

                let bravo = try #require(try await store.channel(ref: .telegram(username: "bravo")))
                let new = Post(channel: "bravo", messageID: 100, text: "Local bakers started a festival of rye bread in the old town.",
                               date: Self.now - 1800, views: 50)
                _ = try await store.savePosts([new], channelID: bravo.id, outcome: nil, dedupWindow: 0)
                let after = try await service.digest(userID: 1, hours: 24, now: Self.now + 60)
                let current = try await Self.sections(store, after)
                #expect(Set(current.filter { old[$0.key]?.map(\.messageID) != $0.value.map(\.messageID) }.keys) == ["bravo"],
                        "only bravo's section has other posts now")
                #expect(await log.bodies.count == n + 1)
                let request = try #require(await log.bodies.last)
                #expect(request.contains("[100] Local bakers"))

                // An edit (a new edit time) changes the key of its section only.
                var edited = new
                edited.text = "Local bakers started a festival of rye and wheat bread in the old town."
                edited.editedAt = Self.now + 100
                try await store.upsertPost(edited, channelID: bravo.id)
                _ = try await service.digest(userID: 1, hours: 24, now: Self.now + 120)
                #expect(await log.bodies.count == n + 2)
                #expect(await log.bodies.last?.contains("rye and wheat") == true)

                _ = try await service.digest(userID: 1, hours: 24, now: Self.now + 180)
                #expect(await log.bodies.count == n + 2)
            }
        }
    }

    @Test("an LLM failure is not cached as the LLM's summary: the fallback is shown, the LLM asked again after the backoff")
    func failureNotCached() async throws {
        try await withStore { store in
            try await Self.seedAll(store)
            let healthy = Atomic<Bool>(false)
            try await FakeLLMServer.with(reply: { i, body in
                healthy.load(ordering: .relaxed) ? Self.answer(i, body) : .init(status: 500, body: "{}")
            }) { url, log in
                let registry = MetricRegistry()
                let service = Self.service(store, url: url, registry: registry)
                let failed = try await service.digest(userID: 1, hours: 24, now: Self.now)
                let n = await log.bodies.count
                #expect(n == Self.channels.count)
                #expect(failed.summaries.allSatisfy { $0.method == .extractive }, "the extractive fallback is shown")

                // What the cache holds for those sections is a failure, never a summary under the LLM's name.
                let identity = service.summarizer.identity
                #expect(try await store.summaryCacheSize().entries == n)
                let cacheBody = try await Self.entries(store, failed, identity: identity)
                #expect(cacheBody.count == n)
                #expect(cacheBody.allSatisfy { $0.isFailure && $0.failures == 1 && $0.retryAt == Self.now + 60 })
                #expect(cacheBody.allSatisfy { !$0.summary.contains("\"method\":\"llm\"") })

                // Within the backoff: the fallback again, no call.
                healthy.store(true, ordering: .relaxed)
                let waiting = try await service.digest(userID: 1, hours: 24, now: Self.now + 30)
                #expect(await log.bodies.count == n)
                #expect(waiting.summaries.allSatisfy { $0.method == .extractive })

                // After it: the LLM is asked again, and its summaries replace the failures.
                let retried = try await service.digest(userID: 1, hours: 24, now: Self.now + 61)
                #expect(await log.bodies.count == 2 * n)
                #expect(retried.summaries.allSatisfy { $0.method == .llm })
                #expect(try await Self.entries(store, retried, identity: identity).allSatisfy { !$0.isFailure && $0.llmCalls == 1 })
                _ = try await service.digest(userID: 1, hours: 24, now: Self.now + 90)
                #expect(await log.bodies.count == 2 * n)
            }
        }
    }

    @Test("failing again doubles the wait before the next try")
    func backoffGrows() async throws {
        try await withStore { store in
            try await Self.seedAll(store)
            try await FakeLLMServer.with(reply: { _, _ in .init(status: 503, body: "{}") }) { url, log in
                let service = Self.service(store, url: url, registry: MetricRegistry())
                _ = try await service.digest(userID: 1, hours: 24, now: Self.now)
                let n = await log.bodies.count
                let second = try await service.digest(userID: 1, hours: 24, now: Self.now + 61)
                #expect(await log.bodies.count == 2 * n)
                #expect(try await Self.entries(store, second, identity: service.summarizer.identity).allSatisfy { $0.failures == 2 && $0.retryAt == Self.now + 61 + 120 })
                _ = try await service.digest(userID: 1, hours: 24, now: Self.now + 61 + 119)
                #expect(await log.bodies.count == 2 * n)
            }
        }
    }

    @Test("readers share the sections their filters leave alike; a muted channel is left out; language per reader")
    func perReader() async throws {
        try await withStore { store in
            try await Self.seedAll(store, user: 1)
            for channel in Self.channels { _ = try await store.subscribe(userID: 2, ref: .telegram(username: channel), tags: []) }
            _ = try await store.addReaderFilter(userID: 2, try ReaderFilter.make(kind: .mute, value: "charlie"))
            try await store.setReaderLanguage(userID: 2, "ru")
            try await FakeLLMServer.with(reply: Self.answer) { url, log in
                let service = Self.service(store, url: url, registry: MetricRegistry())
                _ = try await service.digest(userID: 1, hours: 24, now: Self.now)
                let n = await log.bodies.count
                let second = try await service.digest(userID: 2, hours: 24, now: Self.now)
                #expect(!second.summaries.contains { $0.channel == "charlie" })
                #expect(second.metadata.language == .russian, "the reader's language")
                #expect(second.markdown.contains("Главные"), "Gazette's own words in the reader's language")
                #expect(await log.bodies.count == n, "alpha's and bravo's sections are the same posts: no call")
            }
        }
    }

    @Test("with the cache off every view asks the LLM again")
    func off() async throws {
        try await withStore { store in
            try await Self.seedAll(store)
            try await FakeLLMServer.with(reply: Self.answer) { url, log in
                let service = Self.service(store, url: url, registry: MetricRegistry(), cacheBytes: 0)
                _ = try await service.digest(userID: 1, hours: 24, now: Self.now)
                let n = await log.bodies.count
                _ = try await service.digest(userID: 1, hours: 24, now: Self.now + 1)
                #expect(await log.bodies.count == 2 * n)
                #expect(try await store.summaryCacheSize().entries == 0)
            }
        }
    }

    @Test("the key follows posts, edit times, summarizer, model, prompt version, language and points; nothing else")
    func key() {
        let posts = [Post(channel: "a", messageID: 1, text: "x", date: Self.now), Post(channel: "a", messageID: 2, text: "y", date: Self.now)]
        let llm = SummarizerIdentity(method: .llm, model: "m|budget=3000", version: 1)
        func key(_ p: [Post] = posts, _ id: SummarizerIdentity = llm, _ lang: DigestLanguage? = nil, _ points: Int = 5) -> String {
            SummaryCache.key(channel: "a", posts: p, identity: id, language: lang, maxSentences: points)
        }
        var edited = posts
        edited[1].editedAt = Self.now + 5
        var viewed = posts
        viewed[0].views = 999
        let base = key()
        #expect(base.hasPrefix("s1:") && base.utf8.count <= CachedSummary.maxKeyLength)
        #expect(key(viewed) == base, "views are not part of the key")
        #expect(Set([base, key(edited), key(Array(posts.prefix(1))), key(posts, SummarizerIdentity(method: .llm, model: "other", version: 1)),
                     key(posts, SummarizerIdentity(method: .llm, model: "m|budget=3000", version: 2)), key(posts, llm, .russian),
                     key(posts, llm, nil, 3)]).count == 7)
        let extractive = SummarizerIdentity(method: .extractive, model: "", version: 1)
        #expect(key(posts, extractive, .russian) == key(posts, extractive, nil), "the extractive summarizer never translates")
    }
}
