import Foundation
import GazetteCore
import GazetteDigest
import GazetteMetrics
import GazetteObservability
import GazettePDF
import GazetteStorage
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Logging
import Testing
@testable import GazetteWeb

/// The web reader's routes on a real SQLite store, the real digest pipeline (extractive summaries) and the real PDF
/// renderer, through Hummingbird's test client.
@Suite("Web reader")
struct WebReaderTests {
    static let now = Date(timeIntervalSince1970: 1_764_750_000)

    struct Harness {
        var store: any GazetteStore
        var token: String
        var app: Application<RouterResponder<BasicRequestContext>>
    }

    static func withReader(images: (any WebImageSource)? = nil, _ body: (Harness) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-web-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let logger = Logger(label: "gazette.web.test")
        let store = try await StoreFactory.open(databaseURL: "sqlite:" + dir.appendingPathComponent("gazette.sqlite").path, logger: logger)
        do {
            let (alpha, _) = try await store.subscribe(userID: 1, ref: .telegram(username: "alpha_news"), tags: [])
            try await store.updateChannelMetadata(channelID: alpha.id, ChannelMetadata(title: "Alpha <News>"))
            _ = try await store.savePosts([
                Post(channel: "alpha_news", messageID: 1, text: "The central bank held the key rate at 16.5% on Friday, the regulator said.",
                     date: now - 3600, views: 900, url: "https://t.me/alpha_news/1"),
                Post(channel: "alpha_news", messageID: 2, text: "A post with <script>alert('x')</script> in its text about the city budget.",
                     date: now - 1800, views: 300, url: "https://t.me/alpha_news/2"),
            ], channelID: alpha.id, outcome: nil, dedupWindow: 0)
            _ = try await store.subscribe(userID: 1, ref: .feed(url: "https://example.org/feed.xml"), tags: [])
            let registry = MetricRegistry()
            let digests = DigestService(store: store, summarizer: ExtractiveSummarizer(),
                                        renderer: MeteredRenderer(renderer: PDFRenderer(), metrics: PDFMetrics(registry: registry)),
                                        options: DigestOptions(cacheTTL: 0))
            let token = try #require(try await WebToken.issue(userID: 1, rotate: false, store: store, now: now - 7200))
            let reader = try WebReader(store: store, digests: digests, images: images, version: "test", logger: logger, now: { now })
            let router = Router()
            router.add(middleware: RedactingTracingMiddleware())
            reader.add(to: router)
            try await body(Harness(store: store, token: token, app: Application(router: router)))
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }

    static func archive(_ store: any GazetteStore, user: Int64 = 1, period: String, at until: Date, text: String) async throws -> Int64 {
        try await store.recordArchivedDigest(ArchivedDigest(
            userID: user, kind: "daily", period: period, since: until - 86_400, until: until, title: "Gazette digest",
            markdown: "# Gazette digest — \(period)\n\n\(text)\n\n- [Alpha, 10:00](https://t.me/alpha_news/1)\n", channels: 1, posts: 2,
            createdAt: until))
    }

    @Test("a wrong, malformed or rotated token is answered like an unknown path")
    func wrongToken() async throws {
        try await Self.withReader { h in
            try await h.app.test(.router) { client in
                let unknown = try await client.execute(uri: "/nowhere", method: .get)
                #expect(unknown.status == .notFound)
                let wrong = String(repeating: "A", count: WebToken.length)
                for path in ["/u/\(wrong)/", "/u/\(wrong)/digest", "/u/\(wrong)/feed.atom", "/u/short/", "/u/\(h.token)x/digest",
                             "/u/\(wrong)/digests/1", "/u/\(wrong)/img/abc"] {
                    let response = try await client.execute(uri: path, method: .get)
                    #expect(response.status == .notFound, "\(path)")
                    #expect(response.body == unknown.body, "\(path)")
                }
                #expect(try await client.execute(uri: "/u/\(h.token)/", method: .get).status == .ok)
                let rotated = try #require(try await WebToken.issue(userID: 1, rotate: true, store: h.store))
                #expect(try await client.execute(uri: "/u/\(h.token)/", method: .get).status == .notFound)
                #expect(try await client.execute(uri: "/u/\(rotated)/", method: .get).status == .ok)
                #expect(try await WebToken.issue(userID: 1, rotate: false, store: h.store) == nil, "an existing token is never shown again")
            }
        }
    }

    @Test("the home page lists delivered digests and channels")
    func home() async throws {
        try await Self.withReader { h in
            let id = try await Self.archive(h.store, period: "2026-12-02", at: Self.now - 86_400, text: "Yesterday.")
            try await h.app.test(.router) { client in
                let response = try await client.execute(uri: "/u/\(h.token)/", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
                let page = String(buffer: response.body)
                #expect(page.contains(#"<meta name="viewport""#) && !page.contains("<script"))
                #expect(page.contains("prefers-color-scheme: dark"))
                #expect(page.contains("href=\"/u/\(h.token)/digests/\(id)\""))
                #expect(page.contains("Gazette digest — 2026-12-02"))
                #expect(page.contains("1 channel · 2 posts"))
                #expect(page.contains("Alpha &lt;News&gt;"), "titles are escaped")
                #expect(page.contains("https://t.me/s/alpha_news") && page.contains("https://example.org/feed.xml"))
                #expect(page.contains("href=\"/u/\(h.token)/feed.atom\""))
            }
        }
    }

    @Test("a fresh digest as HTML and as PDF; bad hours are a 400 that says why")
    func freshDigest() async throws {
        try await Self.withReader { h in
            try await h.app.test(.router) { client in
                let response = try await client.execute(uri: "/u/\(h.token)/digest?hours=24", method: .get)
                #expect(response.status == .ok)
                let page = String(buffer: response.body)
                #expect(page.contains("<h1>"))
                #expect(page.contains(#"href="https://t.me/alpha_news/1""#))
                #expect(page.contains("rel=\"noopener noreferrer\""))
                #expect(page.contains("16.5%"))
                #expect(!page.contains("<script>"), "a post's markup is text")
                #expect(page.contains("&lt;script&gt;"))
                let pdf = try await client.execute(uri: "/u/\(h.token)/digest.pdf?hours=24", method: .get)
                #expect(pdf.status == .ok && pdf.headers[.contentType] == "application/pdf")
                #expect(String(buffer: pdf.body).hasPrefix("%PDF-"))
                for (query, says) in [("hours=abc", "hours"), ("hours=0", "hours"), ("hours=100000", "hours")] {
                    let bad = try await client.execute(uri: "/u/\(h.token)/digest?\(query)", method: .get)
                    #expect(bad.status == .badRequest, "\(query)")
                    #expect(String(buffer: bad.body).contains(says))
                }
                #expect(try await client.execute(uri: "/u/\(h.token)/digest.pdf?hours=-1", method: .get).status == .badRequest)
            }
        }
    }

    @Test("a delivered digest has a stable page and PDF; another user's id is not found")
    func archived() async throws {
        try await Self.withReader { h in
            let id = try await Self.archive(h.store, period: "2026-12-02", at: Self.now - 86_400, text: "Yesterday's *news*.")
            let other = try await Self.archive(h.store, user: 2, period: "2026-12-02", at: Self.now - 86_400, text: "Not yours.")
            try await h.app.test(.router) { client in
                let page = try await client.execute(uri: "/u/\(h.token)/digests/\(id)", method: .get)
                #expect(page.status == .ok)
                #expect(String(buffer: page.body).contains("Yesterday's <em>news</em>."))
                let pdf = try await client.execute(uri: "/u/\(h.token)/digests/\(id).pdf", method: .get)
                #expect(pdf.status == .ok && String(buffer: pdf.body).hasPrefix("%PDF-"))
                for entry in ["\(other)", "\(other).pdf", "0", "abc", "99999", "\(id).txt"] {
                    #expect(try await client.execute(uri: "/u/\(h.token)/digests/\(entry)", method: .get).status == .notFound, "\(entry)")
                }
            }
        }
    }

    @Test("the Atom feed: one entry per delivered digest, stable ids, conditional GET")
    func feed() async throws {
        try await Self.withReader { h in
            let first = try await Self.archive(h.store, period: "2026-12-01", at: Self.now - 2 * 86_400, text: "First <b>day</b>.")
            let second = try await Self.archive(h.store, period: "2026-12-02", at: Self.now - 86_400, text: "Second day.")
            try await h.app.test(.router) { client in
                let response = try await client.execute(uri: "/u/\(h.token)/feed.atom", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/atom+xml; charset=utf-8")
                let body = String(buffer: response.body)
                #expect(body.hasPrefix("<?xml"))
                #expect(body.contains("<id>urn:gazette:digest:\(first)</id>") && body.contains("<id>urn:gazette:digest:\(second)</id>"))
                #expect(body.components(separatedBy: "<entry>").count == 3)
                #expect(body.contains(#"<link rel="enclosure" type="application/pdf""#))
                #expect(body.contains("/u/\(h.token)/digests/\(second).pdf\""))
                #expect(body.contains("href=\"http://"), "the feed's links are absolute")
                #expect(body.contains("<content type=\"html\">&lt;h1&gt;"), "the HTML is escaped inside content")
                #expect(!body.contains("<b>day</b>"))
                let etag = try #require(response.headers[.eTag])
                let lastModified = try #require(response.headers[.lastModified])
                #expect(lastModified == WebDates.http(Self.now - 86_400))
                let again = try await client.execute(uri: "/u/\(h.token)/feed.atom", method: .get)
                #expect(again.headers[.eTag] == etag, "the same feed has the same ETag")
                let cached = try await client.execute(uri: "/u/\(h.token)/feed.atom", method: .get,
                                                      headers: [.ifNoneMatch: etag])
                #expect(cached.status == .notModified && cached.body.readableBytes == 0)
                let since = try await client.execute(uri: "/u/\(h.token)/feed.atom", method: .get,
                                                     headers: [.ifModifiedSince: lastModified])
                #expect(since.status == .notModified)
                let stale = try await client.execute(uri: "/u/\(h.token)/feed.atom", method: .get,
                                                     headers: [.ifNoneMatch: "\"old\""])
                #expect(stale.status == .ok)
                _ = try await Self.archive(h.store, period: "2026-12-03", at: Self.now, text: "Third day.")
                let changed = try await client.execute(uri: "/u/\(h.token)/feed.atom", method: .get,
                                                       headers: [.ifNoneMatch: etag])
                #expect(changed.status == .ok, "a new digest changes the feed")
                #expect(String(buffer: changed.body).components(separatedBy: "<entry>").count == 4)
            }
        }
    }

    /// The image cache as the web reader sees it: pictures it holds by URL (a stand-in for the store's cache; the
    /// Python test uses the real one).
    struct Pictures: WebImageSource {
        let held: [String: Data]
        func prepare(markdown: String) async -> Set<String> { Set(held.keys.filter { markdown.contains($0) }) }
        func image(url: String) async -> (data: Data, contentType: String)? { held[url].map { ($0, "image/png") } }
    }

    @Test("pictures come from the image cache through /img/<key>; the CDN's address is never on the page")
    func pictures() async throws {
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3])
        let cached = "https://cdn.example/photo.png", missing = "https://cdn.example/gone.png"
        // A photo read through the user account, named by its TDLib remote id (downloaded by the account's owner).
        let account = "tdlib:AgACAgIAAxkBPhotoAy"
        try await Self.withReader(images: Pictures(held: [cached: png, account: png])) { h in
            let id = try await Self.archive(h.store, period: "2026-12-02", at: Self.now - 86_400,
                                            text: "![Tram in the snow](\(cached))\n\n![Lost](\(missing))\n\n![Photo — Club](\(account))")
            try await h.app.test(.router) { client in
                let page = String(buffer: try await client.execute(uri: "/u/\(h.token)/digests/\(id)", method: .get).body)
                let src = "/u/\(h.token)/img/\(ImageKey.key(cached))"
                #expect(page.contains("src=\"\(src)\" alt=\"Tram in the snow\""))
                #expect(!page.contains("cdn.example"), "no picture is loaded from its CDN")
                #expect(page.contains("[Lost]"), "a picture the cache cannot serve is its alt text")
                let image = try await client.execute(uri: src, method: .get)
                #expect(image.status == .ok && image.headers[.contentType] == "image/png")
                #expect(Data(buffer: image.body) == png)
                let accountSrc = "/u/\(h.token)/img/\(ImageKey.key(account))"
                #expect(page.contains("src=\"\(accountSrc)\" alt=\"Photo — Club\""))
                #expect(try await client.execute(uri: accountSrc, method: .get).status == .ok)
                for key in [ImageKey.key(missing), ImageKey.key("file:///etc/passwd"), ImageKey.key("tdlib:../../etc/passwd"), "%%%",
                            String(repeating: "A", count: 5000)] {
                    #expect(try await client.execute(uri: "/u/\(h.token)/img/\(key)", method: .get).status == .notFound, "\(key.prefix(20))")
                }
                let wrong = String(repeating: "A", count: WebToken.length)
                #expect(try await client.execute(uri: "/u/\(wrong)/img/\(ImageKey.key(cached))", method: .get).status == .notFound)
            }
        }
    }

    @Test("paths with a token are recorded redacted")
    func redaction() {
        #expect(SecretPaths.redact("/u/abcDEF_-123/digest") == "/u/{token}/digest")
        #expect(SecretPaths.redact("/u/abcDEF_-123") == "/u/{token}")
        #expect(SecretPaths.redact("/u/abc?x=1") == "/u/{token}?x=1")
        #expect(SecretPaths.redact("/health") == "/health")
        #expect(WebToken.generate() != WebToken.generate())
        #expect(WebToken.isWellFormed(Substring(WebToken.generate())))
        #expect(WebToken.hash("x").count == 64)
    }
}
