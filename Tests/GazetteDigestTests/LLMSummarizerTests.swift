import Foundation
import GazetteCore
import GazetteMetrics
import Testing
@testable import GazetteDigest

@Suite struct LLMSummarizerTests {
    static let key = Secret("sk-test-very-secret-key-123")

    static func summarizer(_ url: URL, registry: MetricRegistry, timeout: Duration = .seconds(10),
                           attempts: Int = 2, budget: Int = 3000) -> LLMSummarizer {
        let metrics = LLMMetrics(registry: registry)
        let client = LLMClient(url: url, model: "test-model", apiKey: key,
                               options: .init(timeout: timeout, maxAttempts: attempts, initialBackoff: .milliseconds(10)),
                               metrics: metrics)
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
        let summary = try await FakeLLMServer.with(reply: { _, _ in .init(status: 500, body: "oops") }) { url, log in
            let s = await Self.summarizer(url, registry: registry, attempts: 3).summarize(SamplePosts.english, channel: "space_wire", maxSentences: 3)
            #expect(await log.bodies.count == 3)
            return s
        }
        let extractive = await ExtractiveSummarizer().summarize(SamplePosts.english, channel: "space_wire", maxSentences: 3)
        #expect(summary == extractive)
        let metrics = registry.text()
        #expect(metrics.contains(#"llm_requests_total{outcome="http_error"} 3"#))
        #expect(metrics.contains(#"llm_fallbacks_total{reason="http_error"} 1"#))
    }

    @Test func recoversWhenARetrySucceeds() async throws {
        let registry = MetricRegistry()
        let summary = try await FakeLLMServer.with(reply: { n, _ in
            n == 0 ? .init(status: 503, body: "busy") : .answer("- The crew finished the landing rehearsal [201]")
        }) { url, _ in
            await Self.summarizer(url, registry: registry).summarize(SamplePosts.english, channel: "space_wire", maxSentences: 3)
        }
        #expect(summary.method == .llm)
        #expect(summary.points.first?.links == ["https://t.me/space_wire/201"])
        #expect(registry.text().contains(#"llm_requests_total{outcome="http_error"} 1"#))
    }

    @Test func timeoutFallsBack() async throws {
        let registry = MetricRegistry()
        let started = ContinuousClock.now
        let summary = try await FakeLLMServer.with(reply: { _, _ in .init(status: 200, body: "{}", hang: true) }) { url, _ in
            await Self.summarizer(url, registry: registry, timeout: .milliseconds(300), attempts: 1)
                .summarize(SamplePosts.english, channel: "space_wire", maxSentences: 3)
        }
        #expect(summary.method == .extractive)
        #expect(ContinuousClock.now - started < .seconds(10))
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
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        let summary = await Self.summarizer(URL(string: "http://127.0.0.1:1")!, registry: registry, attempts: 1)
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

    @Test func apiKeyNeverAppearsInErrorsOrMetrics() async throws {
        let registry = MetricRegistry()
        let client = LLMClient(url: URL(string: "http://127.0.0.1:1")!, model: "m", apiKey: Self.key,
                               options: .init(maxAttempts: 1), metrics: LLMMetrics(registry: registry))
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
