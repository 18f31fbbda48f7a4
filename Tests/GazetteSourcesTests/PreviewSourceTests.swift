import GazetteTestSupport
import Foundation
import GazetteCore
@testable import GazetteSources
import Hummingbird
import Logging
import GazetteMetrics
import Testing

@Suite("t.me preview source over HTTP")
struct PreviewSourceTests {
    static let logger = Logger(label: "test")

    static func sources(_ base: URL, maxPages: Int = 5, registry: MetricRegistry = .init(), clock: ManualClock = ManualClock(),
                        tweak: (inout HTTPSettings) -> Void = { _ in }) -> Sources {
        var settings = SourceSettings()
        settings.previewBaseURL = base
        settings.maxPages = maxPages
        tweak(&settings.http)
        return Sources(settings: settings, metrics: SourceMetrics(registry: registry), logger: logger, clock: clock)
    }

    /// Runs `body` with sources for `base` and always shuts the HTTP client down. Timeouts and waits run on `clock`,
    /// which only the test moves.
    static func withSources<T: Sendable>(_ base: URL, maxPages: Int = 5, registry: MetricRegistry = .init(),
                                         clock: ManualClock = ManualClock(), tweak: (inout HTTPSettings) -> Void = { _ in },
                                         _ body: (Sources) async throws -> T) async throws -> T {
        try await using(Self.sources(base, maxPages: maxPages, registry: registry, clock: clock, tweak: tweak),
                        close: { await $0.shutdown() }, body)
    }

    /// full.html as the first page, and an older synthetic page (ids 70980–70988, no further cursor).
    static func pagingRouter(_ log: RequestLog) throws -> Router<BasicRequestContext> {
        let full = try String(decoding: Fixtures.data("telegram-preview/full.html"), as: UTF8.self)
        let older = SyntheticPreviewPage.html(
            channel: "topwar_official", title: "Военное обозрение",
            messages: (70980...70988).map { .init(id: Int64($0), date: Fixtures.utc("2023-02-27T12:00:00Z").addingTimeInterval(Double($0 - 70980) * 60), text: "older \($0)") },
            before: nil)
        let router = Router()
        router.get("/s/:name") { request, context -> Response in
            await log.record(request.uri.description)
            guard context.parameters.get("name") == "topwar_official" else { return FakeServer.html("", status: .notFound) }
            switch request.uri.queryParameters.get("before") {
            case .none: return FakeServer.html(full)
            case "70989": return FakeServer.html(older)
            default: return FakeServer.html("", status: .badRequest)
            }
        }
        return router
    }

    @Test func pagesBackWithBefore() async throws {
        let log = RequestLog()
        let router = try Self.pagingRouter(log)
        let result = try await FakeServer.run(router) { base in
            try await Self.withSources(base) { sources in
                try await sources.fetch(.telegram(username: "topwar_official"), since: .distantPast, state: nil)
            }
        }
        #expect(result.pages == 2)
        #expect(result.posts.count == 21)
        #expect(result.posts.first?.messageID == 70980)
        #expect(result.posts.last?.messageID == 71008)
        #expect(result.metadata?.title == "Военное обозрение")
        #expect(await log.paths == ["/s/topwar_official", "/s/topwar_official?before=70989"])
    }

    @Test func stopsAtTheTimeWindow() async throws {
        let log = RequestLog()
        let router = try Self.pagingRouter(log)
        let since = Fixtures.utc("2023-02-28T10:00:00Z")
        let result = try await FakeServer.run(router) { base in
            try await Self.withSources(base) { sources in
                try await sources.fetch(.telegram(username: "topwar_official"), since: since, state: nil)
            }
        }
        #expect(result.pages == 1)
        #expect(result.posts.map(\.messageID) == [70997, 70998, 70999, 71000, 71006, 71007, 71008])
        #expect(await log.paths.count == 1)
    }

    @Test func stopsAtTheNewestKnownPostAndAtMaxPages() async throws {
        let log = RequestLog()
        let router = try Self.pagingRouter(log)
        let (known, limited) = try await FakeServer.run(router) { base in
            let known = try await Self.withSources(base, maxPages: 10) { sources in
                try await sources.fetch(.telegram(username: "topwar_official"), since: .distantPast,
                                        state: FetchState(channelID: 1, lastMessageID: 70995))
            }
            let limited = try await Self.withSources(base, maxPages: 1) { sources in
                try await sources.fetch(.telegram(username: "topwar_official"), since: .distantPast, state: nil)
            }
            return (known, limited)
        }
        #expect(known.pages == 1)
        #expect(limited.pages == 1)
        #expect(limited.posts.count == 12)
        #expect(await log.paths == ["/s/topwar_official", "/s/topwar_official"])
    }

    @Test func missingNoPreviewAndLayoutAreDistinctErrors() async throws {
        let router = Router()
        router.get("/s/:name") { _, context -> Response in
            let name = context.parameters.get("name") ?? ""
            switch name {
            case "gonechannel": return FakeServer.html("", status: .notFound)
            case "redirected_missing", "somegroup":
                return Response(status: .found, headers: [.location: "/\(name)"])
            case "changedlayout": return FakeServer.html("<html><body><div class='new_design'>posts</div></body></html>")
            default: return FakeServer.html("", status: .internalServerError)
            }
        }
        router.get("/:name") { _, context -> Response in
            let name = context.parameters.get("name") ?? ""
            return FakeServer.html(SyntheticPreviewPage.contactPage(title: name == "somegroup" ? "Some Group" : nil))
        }
        let types = try await FakeServer.run(router) { base in
            try await Self.withSources(base) { sources in
                var out: [String: String] = [:]
                for name in ["gonechannel", "redirected_missing", "somegroup", "changedlayout", "brokenserver"] {
                    do {
                        _ = try await sources.fetch(.telegram(username: name), since: .distantPast, state: nil)
                        out[name] = "ok"
                    } catch let error as SourceError {
                        out[name] = error.errorType.rawValue
                    }
                }
                return out
            }
        }
        #expect(types == ["gonechannel": "channel_not_found", "redirected_missing": "channel_not_found",
                          "somegroup": "no_public_preview", "changedlayout": "layout_changed", "brokenserver": "http_error"])
    }

    /// `sloooow` is held at a gate and its timeout runs on the test's clock: it times out when the test moves the clock,
    /// and the 300 KB page meets the size cap however slowly a loaded machine serves it.
    @Test(.timeLimit(.minutes(3)))
    func rateLimitTimeoutAndSizeCap() async throws {
        let gate = Gate()
        let router = Router()
        router.get("/s/limited") { _, _ -> Response in
            FakeServer.html("slow down", status: .tooManyRequests, headers: [.retryAfter: "120"])
        }
        router.get("/s/sloooow") { _, _ -> Response in
            await gate.wait()
            return FakeServer.html("late")
        }
        router.get("/s/hugepage") { _, _ -> Response in
            FakeServer.html(String(repeating: "x", count: 300_000))
        }
        let registry = MetricRegistry()
        let clock = ManualClock()
        let errors = try await FakeServer.run(router) { base in
            defer { gate.release() }
            return try await Self.withSources(base, registry: registry, clock: clock, tweak: { s in
                s.totalTimeout = 20
                s.maxResponseBytes = 100_000
            }) { sources in
                func failure(_ name: String) async -> SourceError? {
                    do {
                        _ = try await sources.fetch(.telegram(username: name), since: .distantPast, state: nil)
                        return nil
                    } catch {
                        return error
                    }
                }
                let limited = await failure("limited")
                async let slow = failure("sloooow")
                guard try await eventually({ gate.waiting == 1 && clock.sleepers == 1 }) else {
                    Issue.record("sloooow's request did not reach the server with its timeout running")
                    return [SourceError?]()
                }
                clock.advance(19.9)
                #expect(clock.sleepers == 1, "not timed out before 20 s")
                clock.advance(0.1)
                return [limited, await slow, await failure("hugepage")]
            }
        }
        #expect(errors.map { $0?.errorType.rawValue } == ["rate_limited", "timeout", "too_large"])
        #expect(errors.first??.retryAfter == 120)
        let text = registry.text()
        #expect(text.contains(#"source_requests_total{source="telegram_preview",status="429"} 1"#))
        #expect(text.contains(#"source_requests_total{source="telegram_preview",status="error"} 2"#))
    }

    /// The first request is held until a second one is in flight (however slowly a loaded machine sends them), then all
    /// go through: two overlap for sure, and the limit keeps a third out.
    @Test func perHostConcurrencyIsLimited() async throws {
        let log = RequestLog()
        let overlap = Gate()
        let router = Router()
        router.get("/s/:name") { _, context -> Response in
            await log.enter()
            if await log.inFlight >= 2 { overlap.release() }
            await overlap.wait()
            await log.leave()
            let name = context.parameters.get("name") ?? "x"
            return FakeServer.html(SyntheticPreviewPage.html(channel: name, title: name, messages: [], before: nil))
        }
        try await FakeServer.run(router) { base in
            try await Self.withSources(base) { sources in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 0..<6 {
                        group.addTask { _ = try await sources.fetch(.telegram(username: "channel\(i)"), since: .distantPast, state: nil) }
                    }
                    try await group.waitForAll()
                }
            }
        }
        #expect(await log.maxInFlight == 2)
    }
}
