import Foundation
import GazetteCore
import GazetteMetrics
import GazetteTestSupport
import Testing
@testable import GazetteDigest

/// Timeouts and the pauses between attempts run on a `ManualClock`: a test that does not move it never sees a timeout,
/// and one that waits for a retry moves time past the pause (a test that waits for time nobody moves hits the limit).
@Suite(.timeLimit(.minutes(3)))
struct LLMSummarizerTests {
    static let key = Secret("sk-test-very-secret-key-123")

    static func summarizer(_ url: URL, registry: MetricRegistry, timeout: Duration = .seconds(10),
                           attempts: Int = 2, budget: Int = 3000,
                           clock: ManualClock = ManualClock()) -> LLMSummarizer {
        let metrics = LLMMetrics(registry: registry)
        let client = LLMClient(url: url, model: "test-model", apiKey: key,
                               options: .init(timeout: timeout, maxAttempts: attempts, initialBackoff: .milliseconds(10)),
                               metrics: metrics, clock: clock)
        return LLMSummarizer(client: client, tokenBudget: budget, metrics: metrics)
    }

    @Test func goodAnswerBecomesLinkedPointsInThePostsLanguage() async throws {
        let registry = MetricRegistry()
        let answer = """
        - Представлена батарея для электромобилей с запасом хода 800 км [101]
        - Продажи электромобилей выросли на 60% [103, 105]
        2) Сеть станций расширят до 5 тыс. точек [999]
        """
        let summary = try await FakeLLMServer.with(reply: { _, _ in .answer(answer) }) { url, log in
            let summary = await Self.summarizer(url, registry: registry).summarize(SamplePosts.russian, channel: "avto_tech", maxSentences: 5)
            let bodies = await log.bodies
            #expect(bodies.count == 1)
            let request = try #require(bodies.first)
            #expect(request.contains("\"model\":\"test-model\""))
            #expect(request.contains("Russian"))
            #expect(request.contains("[101] Производитель аккумуляторов"))
            #expect(await log.authorizations == ["Bearer \(Self.key.value)"])
            return summary
        }
        #expect(summary.method == .llm)
        #expect(summary.points.map(\.text) == [
            "Представлена батарея для электромобилей с запасом хода 800 км",
            "Продажи электромобилей выросли на 60%",
            "Сеть станций расширят до 5 тыс. точек",
        ])
        #expect(summary.points[0].links == ["https://t.me/avto_tech/101"])
        #expect(summary.points[1].links == ["https://t.me/avto_tech/103", "https://t.me/avto_tech/105"])
        #expect(summary.points[2].links.isEmpty)  // unknown id: no link
        let metrics = registry.text()
        #expect(metrics.contains(#"llm_requests_total{outcome="ok"} 1"#))
        #expect(metrics.contains(#"llm_fallbacks_total{reason="http_error"} 0"#))
    }

    /// Summaries stay in the posts' language unless the digest asks the LLM to translate (`--llm-translate`).
    @Test func llmTranslateAsksForTheDigestsLanguage() async throws {
        let registry = MetricRegistry()
        let now = SamplePosts.base.addingTimeInterval(60)
        let metadata = DigestMetadata(since: now.addingTimeInterval(-86400), until: now)
        let groups = [ChannelPosts(channel: Channel(id: 1, ref: .telegram(username: "avto_tech"), metadata: ChannelMetadata(),
                                                    createdAt: now), posts: SamplePosts.russian)]
        try await FakeLLMServer.with(reply: { _, _ in .answer("- Electric car sales grew by 60% [103]") }) { url, log in
            var options = DigestOptions(byChannel: true, language: .english)
            _ = await DigestService.build(groups, metadata: metadata, summarizer: Self.summarizer(url, registry: registry), options: options)
            #expect(await log.bodies.last?.contains("Answer in Russian, the language of the posts") == true)
            options.llmTranslate = true
            let translated = await DigestService.build(groups, metadata: metadata, summarizer: Self.summarizer(url, registry: registry),
                                                       options: options)
            #expect(await log.bodies.last?.contains("Answer in English, translating the posts") == true)
            #expect(translated.summaries.first?.language == .english)
            #expect(translated.markdown.contains("Electric car sales grew by 60%"))
        }
    }

    @Test func serverErrorIsRetriedThenFallsBackAndIsCounted() async throws {
        let registry = MetricRegistry()
        let clock = ManualClock()
        let summary = try await FakeLLMServer.with(reply: { _, _ in .init(status: 500, body: "oops") }) { url, log in
            async let s = Self.summarizer(url, registry: registry, attempts: 3, clock: clock)
                .summarize(SamplePosts.english, channel: "space_wire", maxSentences: 3)
            // 10 ms, then twice that, between the three attempts.
            guard try await clock.advancePastSleep(of: 0.01), try await clock.advancePastSleep(of: 0.02) else {
                Issue.record("the retries did not pause 10 ms, then 20 ms, on the clock")
                return nil as ChannelSummary?
            }
            let summary = await s
            #expect(await log.bodies.count == 3)
            return summary
        }
        let extractive = await ExtractiveSummarizer().summarize(SamplePosts.english, channel: "space_wire", maxSentences: 3)
        #expect(summary == extractive)
        let metrics = registry.text()
        #expect(metrics.contains(#"llm_requests_total{outcome="http_error"} 3"#))
        #expect(metrics.contains(#"llm_fallbacks_total{reason="http_error"} 1"#))
    }

    @Test func recoversWhenARetrySucceeds() async throws {
        let registry = MetricRegistry()
        let clock = ManualClock()
        let summary = try await FakeLLMServer.with(reply: { n, _ in
            n == 0 ? .init(status: 503, body: "busy") : .answer("- The crew finished the landing rehearsal [201]")
        }) { url, _ in
            async let s = Self.summarizer(url, registry: registry, clock: clock).summarize(SamplePosts.english, channel: "space_wire", maxSentences: 3)
            guard try await clock.advancePastSleep(of: 0.01) else {
                Issue.record("the retry did not pause 10 ms on the clock")
                return nil as ChannelSummary?
            }
            return await s
        }
        #expect(summary?.method == .llm)
        #expect(summary?.points.first?.links == ["https://t.me/space_wire/201"])
        #expect(registry.text().contains(#"llm_requests_total{outcome="http_error"} 1"#))
    }

    /// The server holds the answer; the timeout runs on the test's clock, which the test moves past it.
    @Test func timeoutFallsBack() async throws {
        let registry = MetricRegistry()
        let clock = ManualClock()
        let summary = try await FakeLLMServer.with(reply: { _, _ in .init(status: 200, body: "{}", hang: true) }) { url, log in
            async let summary = Self.summarizer(url, registry: registry, timeout: .seconds(30), attempts: 1, clock: clock)
                .summarize(SamplePosts.english, channel: "space_wire", maxSentences: 3)
            // The request is held at the server and the timeout waits on the clock; nothing else sleeps.
            guard try await eventually({ log.gate.waiting == 1 && clock.sleepers == 1 }) else {
                Issue.record("the request did not reach the server, or the timeout did not start")
                return nil as ChannelSummary?   // leaving the scope cancels the summary
            }
            clock.advance(29)
            #expect(clock.sleepers == 1, "not before the timeout")
            clock.advance(1)
            return await summary
        }
        #expect(try #require(summary).method == .extractive)
        let metrics = registry.text()
        #expect(metrics.contains(#"llm_requests_total{outcome="timeout"} 1"#))
        #expect(metrics.contains(#"llm_fallbacks_total{reason="timeout"} 1"#))
    }

    @Test(arguments: ["not json at all", #"{"choices": []}"#, #"{"choices":[{"message":{"content":"  "}}]}"#, #"{"error": "bad"}"#])
    func garbageAnswerFallsBack(_ body: String) async throws {
        let registry = MetricRegistry()
        let summary = try await FakeLLMServer.with(reply: { _, _ in .init(status: 200, body: body) }) { url, _ in
            await Self.summarizer(url, registry: registry).summarize(SamplePosts.russian, channel: "avto_tech", maxSentences: 2)
        }
        #expect(summary.method == .extractive)
        #expect(summary.points.count == 2)
        let metrics = registry.text()
        #expect(metrics.contains(#"llm_requests_total{outcome="invalid_response"} 1"#))
        #expect(metrics.contains(#"llm_fallbacks_total{reason="invalid_response"} 1"#))
    }

    @Test func unreachableServerFallsBackAsNetworkError() async throws {
        let registry = MetricRegistry()
        // Port 1 on loopback: nothing listens there, the connection is refused at once (the client retries connecting
        // until its own deadline, one second here, then reports the refusal).
        let summary = await Self.summarizer(URL(string: "http://127.0.0.1:1")!, registry: registry, timeout: .seconds(1), attempts: 1)
            .summarize(SamplePosts.english, channel: "space_wire", maxSentences: 2)
        #expect(summary.method == .extractive)
        #expect(registry.text().contains(#"llm_fallbacks_total{reason="network"} 1"#))
    }

    @Test func largeInputIsMapReducedWithinTheBudget() async throws {
        let registry = MetricRegistry()
        let posts = (0..<40).map { i in
            SamplePosts.post("space_wire", Int64(300 + i),
                             "Update \(i): the lunar lander passed another test of its propulsion system and the crew trained for the landing.",
                             views: 100 + i)
        }
        let summary = try await FakeLLMServer.with(reply: { _, body in
            body.contains("Merge these partial summaries") ? .answer("- The lander passed all propulsion tests [300]")
                : .answer("- Partial: lander tests went well [301]")
        }) { url, log in
            let s = await Self.summarizer(url, registry: registry, budget: 400).summarize(posts, channel: "space_wire", maxSentences: 3)
            let bodies = await log.bodies
            #expect(bodies.count >= 3)  // at least two map requests and one reduce
            for body in bodies { #expect(body.utf8.count < 400 * 4 + 2000) }
            #expect(bodies.last?.contains("Merge these partial summaries") == true)
            return s
        }
        #expect(summary.method == .llm)
        #expect(summary.points.map(\.text) == ["The lander passed all propulsion tests"])
    }

    /// Answers kept between attempts, as the summary cache keeps them.
    actor Memo: LLMAnswerMemo {
        var answers: [String: String] = [:]
        func answer(_ key: String) -> String? { answers[key] }
        func keep(_ made: [LLMAnswer]) { for a in made { answers[a.key] = a.text } }
    }

    @Test func aChangedSectionAsksOnlyForTheChunkThatChangedAndTheMerge() async throws {
        let topics = ["the lunar lander", "the orbital station", "a new launch pad", "the Mars rover", "a weather satellite"]
        let posts = (0..<80).map { i in
            SamplePosts.post("space_wire", Int64(300 + i),
                             "Update \(i): \(topics[i % topics.count]) passed test number \(i * 7) and the team wrote up what it learned.",
                             minutesAgo: 200 - i)
        }
        try await FakeLLMServer.with(reply: { _, body in
            if body.contains("Merge these partial summaries") { return .answer("- The programme went on [300]") }
            let ids = body.matches(of: #/\[(\d+)\] /#).map { String($0.1) }
            return .answer("- Posts \(ids.first ?? "0") to \(ids.last ?? "0"): tests went well [\(ids.first ?? "0")]")
        }) { url, log in
            let summarizer = Self.summarizer(url, registry: MetricRegistry(), budget: 400)
            let memo = Memo()
            func calls(_ posts: [Post]) async -> Int {
                let attempt = await summarizer.attempt(posts, channel: "space_wire", maxSentences: 3, translatingTo: nil, answers: memo)
                #expect(attempt.summary.method == .llm)
                await memo.keep(attempt.answers)
                #expect(attempt.llmCalls == attempt.answers.count)
                return attempt.llmCalls
            }
            let first = await calls(posts)
            let chunks = first - 1
            #expect(chunks >= 5, "the section needs several chunks")
            #expect(await log.bodies.count == first)
            #expect(await calls(posts) == 0, "the same posts again: every answer is known")

            let new = SamplePosts.post("space_wire", 1000, "Update: the crew landed safely after the lunar lander's last test.", minutesAgo: 1)
            let added = await calls(posts + [new])
            #expect(added == 2, "the last chunk, which the newest post joins, and the merge")
            // A post leaving the first chunk (it joined a top story): boundaries set by size alone would move in every
            // later chunk and ask all of them again.
            var without = posts
            without.remove(at: 2)
            let removed = await calls(without)
            print("chunks \(chunks), calls after a new post \(added), after one left the first chunk \(removed)")
            #expect(removed <= 3, "its chunk, at most the next one, and the merge (of \(chunks) chunks)")
        }
    }

    @Test func apiKeyNeverAppearsInErrorsOrMetrics() async throws {
        let registry = MetricRegistry()
        let client = LLMClient(url: URL(string: "http://127.0.0.1:1")!, model: "m", apiKey: Self.key,
                               options: .init(timeout: .seconds(1), maxAttempts: 1), metrics: LLMMetrics(registry: registry),
                               clock: ManualClock())
        do {
            _ = try await client.complete(system: "s", user: "u")
            Issue.record("expected a failure")
        } catch {
            #expect(!error.description.contains(Self.key.value))
            #expect(!"\(error)".contains(Self.key.value))
        }
        #expect(!registry.text().contains(Self.key.value))
    }

    @Test func endpointAcceptsBaseOrFullURL() {
        #expect(LLMClient.completionsURL(URL(string: "http://h:1")!).absoluteString == "http://h:1/v1/chat/completions")
        #expect(LLMClient.completionsURL(URL(string: "http://h:1/v1")!).absoluteString == "http://h:1/v1/chat/completions")
        #expect(LLMClient.completionsURL(URL(string: "http://h:1/api/v1/chat/completions")!).absoluteString
            == "http://h:1/api/v1/chat/completions")
    }
}
