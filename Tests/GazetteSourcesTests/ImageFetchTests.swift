import Foundation
import GazetteCore
import GazetteMetrics
@testable import GazetteSources
import GazetteTestSupport
import Hummingbird
import Logging
import Testing

/// Records what an `ImageLoader` keeps, in memory: the loader's own logic is what these tests are about; the stores'
/// side of the cache has its contract tests on SQLite and PostgreSQL.
actor MemoryImageCache: ImageCacheStore {
    var entries: [String: CachedImage] = [:]
    func cachedImage(url: String, now: Date) async throws -> CachedImage? {
        entries[url].flatMap { $0.expiresAt > now ? $0 : nil }
    }
    func storeImage(_ image: CachedImage) async throws { entries[image.url] = image }
    func trimImageCache(now: Date, maxBytes: Int64) async throws -> Int { 0 }
    func imageCacheSize() async throws -> CacheSize {
        CacheSize(entries: entries.count, bytes: Int64(entries.values.reduce(0) { $0 + $1.bytes.count }))
    }
    func readerImages(userID: Int64) async throws -> Bool? { nil }
    func setReaderImages(userID: Int64, _ on: Bool?) async throws {}
}

@Suite("Fetching pictures: limits, sniffing, the address policy and the cache")
struct ImageFetchTests {
    static let pictures: [String: FakeCDN.Picture] = [
        "ok.jpg": .init(contentType: "image/jpeg", bytes: TestPictures.jpegHeader(width: 1280, height: 960)),
        "ok.png": .init(contentType: "application/octet-stream", bytes: TestPictures.pngHeader(width: 640, height: 480)),
        "ok.webp": .init(contentType: "image/webp", bytes: TestPictures.webpHeader(width: 800, height: 600)),
        "page.jpg": .init(contentType: "image/jpeg", bytes: Array("<!doctype html><html><body>Not a picture</body></html>".utf8)),
        "corrupt.jpg": .init(contentType: "image/jpeg", bytes: [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01] + Array(repeating: 0x13, count: 40)),
        "giant.png": .init(contentType: "image/png", bytes: TestPictures.pngHeader(width: 20_000, height: 20_000)),
    ]

    /// The fetch deadline (on the test's clock).
    static func settings(allowPrivate: Bool = true, timeout: TimeInterval = 10) -> ImageSettings {
        var s = ImageSettings()
        s.allowPrivate = allowPrivate
        s.totalTimeout = timeout
        s.connectTimeout = 5
        return s
    }

    /// Fetches run on `clock` (timeouts expire only when the test moves it).
    static func withLoader<T: Sendable>(allowPrivate: Bool = true, timeout: TimeInterval = 10, cache: MemoryImageCache? = nil,
                                        registry: MetricRegistry = .init(), clock: ManualClock = ManualClock(),
                                        _ body: @Sendable (URL, ImageLoader, CDNLog) async throws -> T) async throws -> T {
        let log = CDNLog()
        return try await FakeServer.run(FakeCDN.router(pictures: pictures, log: log)) { base in
            var logger = Logger(label: "test.images")
            logger.logLevel = .critical
            let loader = ImageLoader(fetcher: ImageFetcher(settings: settings(allowPrivate: allowPrivate, timeout: timeout), logger: logger,
                                                           clock: clock),
                                     cache: cache, metrics: ImageMetrics(registry: registry), logger: logger)
            do {
                let result = try await body(base, loader, log)
                await log.release()
                await loader.shutdown()
                return result
            } catch {
                await log.release()
                await loader.shutdown()
                throw error
            }
        }
    }

    static let later = Date().addingTimeInterval(86_400)

    @Test("JPEG, PNG and WebP are told by their bytes, whatever the Content-Type says")
    func formats() async throws {
        try await Self.withLoader { base, loader, _ in
            let jpeg = try await loader.image(url: "\(base)/img/ok.jpg", keepUntil: Self.later).get()
            #expect(jpeg.format == .jpeg && jpeg.width == 1280 && jpeg.height == 960)
            let png = try await loader.image(url: "\(base)/img/ok.png", keepUntil: Self.later).get()
            #expect(png.format == .png && png.width == 640 && png.height == 480)
            let webp = try await loader.image(url: "\(base)/img/ok.webp", keepUntil: Self.later).get()
            #expect(webp.format == .webp && webp.width == 800 && webp.height == 600)
        }
    }

    @Test("every way a picture fails is a skip with its reason, counted by reason")
    func failures() async throws {
        let registry = MetricRegistry()
        try await Self.withLoader(registry: registry) { base, loader, _ in
            func reason(_ path: String) async -> ImageSkipReason? {
                if case .failure(let f) = await loader.image(url: "\(base)\(path)", keepUntil: Self.later) { return f.reason }
                return nil
            }
            #expect(await reason("/img/page.jpg") == .unsupportedType)
            #expect(await reason("/img/corrupt.jpg") == .corrupt)
            #expect(await reason("/img/giant.png") == .tooManyPixels)
            #expect(await reason("/missing/x.jpg") == .httpError)
            #expect(await reason("/img/nothing-here.jpg") == .httpError)
            if case .failure(let f) = await loader.image(url: "ftp://example.com/x.jpg", keepUntil: Self.later) {
                #expect(f.reason == .invalidURL)
            } else {
                Issue.record("an ftp URL was fetched")
            }
        }
        let text = registry.text()
        for reason in ["unsupported_type", "corrupt", "too_many_pixels", "invalid_url"] {
            #expect(text.contains("image_skips_total{reason=\"\(reason)\"} 1"), "\(reason)")
        }
        #expect(text.contains("image_skips_total{reason=\"http_error\"} 2"))
        #expect(text.contains("image_skips_total{reason=\"too_large\"} 0"))
    }

    @Test("a slow CDN: the fetch gives up at its deadline on the clock, while the server still holds the answer",
          .timeLimit(.minutes(3)))
    func slow() async throws {
        let registry = MetricRegistry()
        let clock = ManualClock()
        try await Self.withLoader(timeout: 10, registry: registry, clock: clock) { base, loader, log in
            async let image = loader.image(url: "\(base)/slow/ok.jpg", keepUntil: Self.later)
            guard try await eventually({ log.gate.waiting == 1 && clock.sleepers == 1 }) else {
                Issue.record("the request did not reach the CDN with its deadline running")
                return
            }
            clock.advance(10)
            guard case .failure(let failure) = await image else {
                Issue.record("the slow picture arrived")
                return
            }
            #expect(failure.reason == .timeout)
            #expect(log.gate.waiting == 1, "the CDN never answered")
        }
        #expect(registry.text().contains("image_skips_total{reason=\"timeout\"} 1"))
    }

    @Test("a 30 MB picture is cut at the 5 MB cap: reading stops, the CDN never gets to send it all")
    func byteCap() async throws {
        try await Self.withLoader { base, loader, log in
            let outcome = await loader.image(url: "\(base)/huge.jpg", keepUntil: Self.later)
            guard case .failure(let failure) = outcome else {
                Issue.record("a 30 MB picture was accepted")
                return
            }
            #expect(failure.reason == .tooLarge)
            // When the fetch gave up, the paced CDN had sent little more than the 5 MB cap (plus what socket buffers hold).
            let sent = await log.hugeBytesSent
            #expect(sent < 15 * 1024 * 1024, "the CDN had sent \(sent) bytes")
        }
    }

    @Test("loopback addresses are refused unless private sources are allowed, like feeds")
    func addressPolicy() async throws {
        try await Self.withLoader(allowPrivate: false) { base, loader, log in
            guard case .failure(let failure) = await loader.image(url: "\(base)/img/ok.jpg", keepUntil: Self.later) else {
                Issue.record("a loopback picture was fetched")
                return
            }
            #expect(failure.reason == .forbiddenAddress)
            #expect(await log.paths.isEmpty, "nothing reached the server")
        }
    }

    @Test("the cache: a second load is a hit without a request; a failure is remembered; hits and misses are counted")
    func cache() async throws {
        let registry = MetricRegistry()
        let cache = MemoryImageCache()
        try await Self.withLoader(cache: cache, registry: registry) { base, loader, log in
            let url = "\(base)/img/ok.jpg"
            _ = try await loader.image(url: url, keepUntil: Self.later).get()
            let again = try await loader.image(url: url, keepUntil: Self.later.addingTimeInterval(60)).get()
            #expect(again.format == .jpeg && again.width == 1280)
            #expect(await log.count("/img/ok.jpg") == 1)
            #expect(try await cache.cachedImage(url: url, now: Date())?.expiresAt == Self.later.addingTimeInterval(60),
                    "a later post keeps the picture longer")
            let broken = "\(base)/img/page.jpg"
            _ = await loader.image(url: broken, keepUntil: Self.later)
            guard case .failure(let f) = await loader.image(url: broken, keepUntil: Self.later) else {
                Issue.record("a remembered failure became a picture")
                return
            }
            #expect(f.reason == .unsupportedType)
            #expect(await log.count("/img/page.jpg") == 1)
            let remembered = try await cache.cachedImage(url: broken, now: Date())
            #expect(try #require(remembered).expiresAt <= Date().addingTimeInterval(3601), "failures are retried within the hour")
        }
        let text = registry.text()
        #expect(text.contains("image_cache_hits_total 2"))
        #expect(text.contains("image_cache_misses_total 2"))
        #expect(text.contains("image_skips_total{reason=\"unsupported_type\"} 2"))
    }

    @Test("the sniffer reads sizes from headers only")
    func sniffer() throws {
        #expect(try ImageSniffer.inspect(TestPictures.jpegHeader(width: 20_000, height: 20_000)).get() == ImageHeader(format: .jpeg, width: 20_000, height: 20_000))
        #expect(try ImageSniffer.inspect(TestPictures.webpHeader(width: 1, height: 16383)).get().height == 16383)
        if case .failure(let f) = ImageSniffer.inspect([UInt8]()) { #expect(f.reason == .unsupportedType) } else { Issue.record("empty accepted") }
        if case .failure(let f) = ImageSniffer.inspect([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]) {
            #expect(f.reason == .corrupt)
        } else {
            Issue.record("a cut PNG accepted")
        }
        if case .failure(let f) = ImageSniffer.inspect(Array("GIF89a\u{1}\u{0}\u{1}\u{0}".utf8)) { #expect(f.reason == .unsupportedType) } else {
            Issue.record("GIF accepted")
        }
    }
}
