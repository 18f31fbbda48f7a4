import GazetteTestSupport
import Foundation
import GazetteCore
@testable import GazetteSources
import Hummingbird
import Logging
import GazetteMetrics
import Testing

@Suite("feed source over HTTP")
struct FeedSourceTests {
    static func withSources<T: Sendable>(allowPrivate: Bool, registry: MetricRegistry = .init(),
                                         _ body: (Sources) async throws -> T) async throws -> T {
        var settings = SourceSettings()
        settings.http.allowPrivateSources = allowPrivate
        let sources = Sources(settings: settings, metrics: SourceMetrics(registry: registry), logger: Logger(label: "test"))
        do {
            let result = try await body(sources)
            await sources.shutdown()
            return result
        } catch {
            await sources.shutdown()
            throw error
        }
    }

    @Test func conditionalGetUsesETagAndLastModified() async throws {
        let rss = try Fixtures.data("feeds/rss2_sample.xml")
        let log = RequestLog()
        let router = Router()
        router.get("/feed.xml") { request, _ -> Response in
            let inm = request.headers[.ifNoneMatch] ?? ""
            let ims = request.headers[.ifModifiedSince] ?? ""
            await log.record("/feed.xml", headers: ["if-none-match": inm, "if-modified-since": ims])
            if inm == "\"v1\"" { return Response(status: .notModified, headers: [.eTag: "\"v1\""]) }
            return Response(status: .ok, headers: [.contentType: "application/rss+xml", .eTag: "\"v1\"",
                                                   .lastModified: "Fri, 17 May 2024 09:00:00 GMT"],
                            body: .init(byteBuffer: ByteBuffer(bytes: rss)))
        }
        let registry = MetricRegistry()
        let (first, second) = try await FakeServer.run(router) { base in
            try await Self.withSources(allowPrivate: true, registry: registry) { sources in
                let ref = try ChannelRef.parse(base.absoluteString + "/feed.xml")
                let first = try await sources.fetch(ref, since: .distantPast, state: nil)
                var state = FetchState(channelID: 1)
                state.etag = first.etag
                state.lastModified = first.lastModified
                let second = try await sources.fetch(ref, since: .distantPast, state: state)
                return (first, second)
            }
        }
        #expect(first.posts.count == 5)
        #expect(!first.notModified)
        #expect(first.etag == "\"v1\"")
        #expect(first.lastModified == "Fri, 17 May 2024 09:00:00 GMT")
        #expect(first.metadata?.title == "Gazette Test Feed")
        #expect(second.notModified)
        #expect(second.posts.isEmpty)
        #expect(second.etag == "\"v1\"")
        let headers = await log.headers
        #expect(headers.count == 2)
        #expect(headers.last?["if-none-match"] == "\"v1\"")
        #expect(headers.last?["if-modified-since"] == "Fri, 17 May 2024 09:00:00 GMT")
        let text = registry.text()
        #expect(text.contains(#"source_requests_total{source="feed",status="2xx"} 1"#))
        #expect(text.contains(#"source_requests_total{source="feed",status="3xx"} 1"#))
    }

    @Test func malformedFeedFailsOnlyThatFeed() async throws {
        let bad = try Fixtures.data("feeds/malformed_truncated.xml")
        let good = try Fixtures.data("feeds/atom_sample.xml")
        let router = Router()
        router.get("/bad.xml") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: bad))) }
        router.get("/good.xml") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: good))) }
        let (badType, goodCount) = try await FakeServer.run(router) { base in
            try await Self.withSources(allowPrivate: true) { sources in
                var badType = "none"
                do {
                    _ = try await sources.fetch(.feed(url: base.absoluteString + "/bad.xml"), since: .distantPast, state: nil)
                } catch let error as SourceError {
                    badType = error.errorType.rawValue
                }
                let good = try await sources.fetch(.feed(url: base.absoluteString + "/good.xml"), since: .distantPast, state: nil)
                return (badType, good.posts.count)
            }
        }
        #expect(badType == "invalid_feed")
        #expect(goodCount == 4)
    }

    @Test(arguments: ["http://127.0.0.1:9/feed", "http://localhost:9/feed", "http://10.1.2.3/feed", "http://[::1]:9/feed",
                      "http://192.168.0.1/rss", "http://169.254.169.254/latest/meta-data"])
    func privateFeedAddressesAreRefused(url: String) async throws {
        let type = try await Self.withSources(allowPrivate: false) { sources in
            do {
                _ = try await sources.fetch(.feed(url: url), since: .distantPast, state: nil)
                return "ok"
            } catch let error as SourceError {
                return error.errorType.rawValue
            }
        }
        #expect(type == "forbidden_address")
    }

    @Test func internalAddressClassification() {
        #expect(AddressPolicy.isInternal("127.0.0.1"))
        #expect(AddressPolicy.isInternal("::ffff:10.0.0.1"))
        #expect(AddressPolicy.isInternal("fd12::1"))
        #expect(AddressPolicy.isInternal("100.64.0.1"))
        #expect(!AddressPolicy.isInternal("149.154.167.99"))
        #expect(!AddressPolicy.isInternal("2001:67c:4e8:f004::9"))
    }
}

@Suite("backoff and retry-after")
struct BackoffTests {
    @Test func growsExponentiallyWithinJitterAndCap() {
        let b = Backoff(base: 60, cap: 3600, jitter: 0.2)
        #expect(b.delay(failures: 1, unit: 0.5) == 60)
        #expect(b.delay(failures: 3, unit: 0.5) == 240)
        #expect(b.delay(failures: 3, unit: 0) == 192)
        #expect(b.delay(failures: 3, unit: 1) == 288)
        #expect(b.delay(failures: 50, unit: 0.5) == 3600)
        #expect(b.delay(failures: 1, retryAfter: 900, unit: 0.5) == 900)
        let now = Date()
        let next = b.nextAttempt(after: now, failures: 2)
        #expect((96...144).contains(next.timeIntervalSince(now)))
    }

    @Test func retryAfterSecondsAndDates() {
        let now = Fixtures.utc("2024-05-17T09:00:00Z")
        #expect(SourceHTTPClient.retryAfter("120", now: now) == 120)
        #expect(SourceHTTPClient.retryAfter("Fri, 17 May 2024 09:05:00 GMT", now: now) == 300)
        #expect(SourceHTTPClient.retryAfter("soon", now: now) == nil)
        #expect(SourceHTTPClient.retryAfter("99999999", now: now) == 86_400)
    }

    @Test func errorMessagesDropQueryStrings() {
        let e = SourceError.httpStatus(500, url: "https://feeds.example.com/rss?token=SECRET123")
        #expect(!e.description.contains("SECRET123"))
        #expect(e.description.contains("HTTP 500"))
    }
}
