import Foundation
import GazetteCore
import GazetteDigest
import GazetteMetrics
import GazettePDF
import GazetteSources
import GazetteStorage
import GazetteTestSupport
import Logging
import Testing

/// Issue 16's "must show": a digest of posts with photos from a loopback CDN embeds them (JPEG as it is), and a
/// corrupt and a 30 MB picture in the same digest become alt text without failing it, counted in metrics.
@Suite("Digests with pictures, end to end: store → loopback CDN → cache → PDF")
struct DigestPicturesTests {
    static let logger: Logger = {
        var l = Logger(label: "pictures-test")
        l.logLevel = .critical
        return l
    }()

    static func fixture(_ name: String) throws -> [UInt8] { [UInt8](try TestFixtures.data("images/\(name)")) }

    static func pictures() throws -> [String: FakeCDN.Picture] {
        [
            "a.jpg": .init(contentType: "image/jpeg", bytes: try fixture("photo-1280x853.jpg")),
            "b.jpg": .init(contentType: "image/jpeg", bytes: try fixture("progressive-640x480.jpg")),
            "c.png": .init(contentType: "image/png", bytes: try fixture("photo-400x267.png")),
            // The 1280 px photo cut in half: its header passes the fetcher's sniffing, the renderer's check refuses it.
            "corrupt.jpg": .init(contentType: "image/jpeg", bytes: try fixture("corrupt-truncated.jpg")),
        ]
    }

    /// A store in a temp directory with one reader subscribed to three channels whose posts carry `urls` as photos.
    static func withDigest<T>(_ urls: [String: [String]], registry: MetricRegistry, cdnBase: URL, now: Date,
                              _ body: (DigestService, any GazetteStore) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-pictures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try await StoreFactory.open(databaseURL: "sqlite:\(dir.path)/g.sqlite", logger: logger)
        var id: Int64 = 1
        let topics = [
            "The city council approved a new budget for public libraries. Opening hours will be extended on weekends.",
            "A rare comet will be visible from the northern hemisphere tonight. Astronomers recommend binoculars.",
            "The national football team won the qualifier three to one. The coach praised the young goalkeeper.",
            "Heavy snow closed the mountain pass for trucks. Road crews expect to reopen it by Friday.",
        ]
        for (channel, paths) in urls.sorted(by: { $0.key < $1.key }) {
            let (subscribed, _) = try await store.subscribe(userID: 1, ref: .telegram(username: channel), tags: [])
            try await store.updateChannelMetadata(channelID: subscribed.id, ChannelMetadata(title: channel.capitalized + " News"))
            var posts: [Post] = []
            for (i, path) in paths.enumerated() {
                posts.append(Post(channel: channel, messageID: id, text: topics[Int(id - 1) % topics.count],
                                  date: now.addingTimeInterval(-Double(3600 * (i + 1))), views: 1000 - i * 10,
                                  url: "https://t.me/\(channel)/\(id)",
                                  images: [ImageRef(kind: .photo, url: cdnBase.absoluteString + path)]))
                id += 1
            }
            _ = try await store.savePosts(posts, channelID: subscribed.id, outcome: nil, dedupWindow: 0)
        }
        var settings = ImageSettings()
        settings.allowPrivate = true
        // Fetch deadlines run on a clock nobody moves: a loaded machine never turns a slow read into a timeout, and the
        // 30 MB picture always meets the byte cap.
        let loader = ImageLoader(fetcher: ImageFetcher(settings: settings, logger: logger, clock: ManualClock()), cache: store,
                                 metrics: ImageMetrics(registry: registry), logger: logger, verify: DigestPictures.rendererCheck)
        var options = DigestOptions(cacheTTL: 0, topStories: 3)
        options.images = true
        let service = DigestService(store: store, summarizer: ExtractiveSummarizer(),
                                    renderer: MeteredRenderer(metrics: PDFMetrics(registry: registry)), options: options,
                                    images: loader, logger: logger)
        do {
            let result = try await body(service, store)
            await loader.shutdown()
            await store.shutdown()
            return result
        } catch {
            await loader.shutdown()
            await store.shutdown()
            throw error
        }
    }

    /// `pdfimages -list` rows: (width, height, encoding).
    static func listImages(_ pdf: Data) throws -> [(Int, Int, String)] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pictures-\(UUID().uuidString).pdf")
        try pdf.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let out = try run("/usr/bin/pdfimages", ["-list", file.path])
        return out.split(separator: "\n").dropFirst(2).compactMap { line in
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count > 8, let w = Int(f[3]), let h = Int(f[4]) else { return nil }
            return (w, h, String(f[8]))
        }
    }

    static func text(_ pdf: Data) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pictures-\(UUID().uuidString).pdf")
        try pdf.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try run("/usr/bin/pdftotext", ["-layout", file.path, "-"])
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) failed")
        return String(decoding: data, as: UTF8.self)
    }

    @Test("a digest of posts with photos from the loopback CDN embeds them; JPEG stays JPEG; the second build hits the cache")
    func embeds() async throws {
        let registry = MetricRegistry()
        let log = CDNLog()
        let now = Date()
        try await FakeServer.run(FakeCDN.router(pictures: try Self.pictures(), log: log)) { base in
            try await Self.withDigest(["alpha": ["/img/c.png"], "bravo": ["/img/b.jpg"], "charlie": ["/img/a.jpg"]],
                                      registry: registry, cdnBase: base, now: now) { service, store in
                let markdown = try await service.markdownDigest(userID: 1, hours: 24, now: now)
                #expect(markdown.contains("![Photo — Charlie News](\(base)/img/a.jpg)"))
                let pdf = try await service.pdf(userID: 1, hours: 24, now: now)
                let images = try Self.listImages(pdf.data)
                #expect(images.count == 3, "\(images)")
                #expect(images.filter { $0.2 == "jpeg" }.count == 2, "JPEG embedded as it is: \(images)")
                #expect(images.contains { $0.0 == 1280 && $0.1 == 853 && $0.2 == "jpeg" }, "\(images)")
                #expect(images.contains { $0.0 == 640 && $0.1 == 480 && $0.2 == "jpeg" }, "\(images)")
                #expect(await log.paths.count == 3)
                if let dir = ProcessInfo.processInfo.environment["GAZETTE_TEST_ARTEFACT_DIR"] {
                    try pdf.data.write(to: URL(fileURLWithPath: dir).appendingPathComponent("digest-pictures.pdf"))
                }
                // Built again: every picture from the cache, nothing fetched.
                let again = try await service.pdf(userID: 1, hours: 24, now: now)
                #expect(try Self.listImages(again.data).count == 3)
                #expect(await log.paths.count == 3)
                let size = try await store.imageCacheSize()
                #expect(size.entries == 3)
            }
        }
        let metrics = registry.text()
        #expect(metrics.contains("image_cache_misses_total 3"))
        #expect(metrics.contains("image_cache_hits_total 3"))
        #expect(metrics.contains("image_cache_entries 3"))
    }

    @Test("a corrupt and a 30 MB picture in the same digest: delivered, alt text for both, the skips counted")
    func brokenPictures() async throws {
        let registry = MetricRegistry()
        let log = CDNLog()
        let now = Date()
        try await FakeServer.run(FakeCDN.router(pictures: try Self.pictures(), log: log)) { base in
            try await Self.withDigest(["alpha": ["/img/corrupt.jpg"], "bravo": ["/huge.jpg"], "charlie": ["/img/a.jpg"]],
                                      registry: registry, cdnBase: base, now: now) { service, _ in
                let delivery = try await service.deliver(userID: 1, hours: 24, now: now, format: .pdf)
                guard case .pdf(let pdf, _) = delivery else {
                    Issue.record("no PDF delivered: \(delivery)")
                    return
                }
                let images = try Self.listImages(pdf.data)
                #expect(images.count == 1 && images.first?.2 == "jpeg", "\(images)")
                let text = try Self.text(pdf.data)
                #expect(text.contains("Photo — Alpha News"), "alt text of the corrupt picture")
                #expect(text.contains("Photo — Bravo News"), "alt text of the 30 MB picture")
                await log.release()
            }
        }
        let metrics = registry.text()
        #expect(metrics.contains("image_skips_total{reason=\"corrupt\"} 1"))
        #expect(metrics.contains("image_skips_total{reason=\"too_large\"} 1"))
    }
}
