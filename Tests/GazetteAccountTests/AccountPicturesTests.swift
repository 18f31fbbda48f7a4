import Foundation
@testable import GazetteAccount
import GazetteCore
import GazetteDigest
import GazetteMetrics
import GazetteSources
import GazetteStorage
import GazetteTestSupport
import Logging
import Synchronization
import Testing

/// Pictures read through the account: the post keeps the photo's remote id; a digest's request is served by the process
/// that owns the account (downloaded through the scripted JSON interface, within the picture limits) into the image
/// cache, where the processes that render find it; without an owner the picture is left out at once.
@Suite("pictures through the account")
struct AccountPicturesTests {
    typealias H = AccountHarness

    static func pictureSettings() -> AccountPictureSettings {
        var settings = AccountPictureSettings(limits: ImageSettings(), verify: DigestPictures.rendererCheck)
        settings.poll = 0.05
        return settings
    }

    static func service(_ store: SQLiteStore, _ fake: ScriptedTDJSON, clock: ManualClock,
                        registry: MetricRegistry = MetricRegistry()) -> AccountService {
        AccountService(settings: temporarySettings(), store: store, owner: "owner", leaseDuration: 60,
                       makeTransport: { () throws(AccountError) -> any TDJSONTransport in fake },
                       metrics: AccountMetrics(registry: registry), logger: H.logger, clock: clock, dedupWindow: 0,
                       pictures: pictureSettings())
    }

    /// The photo posts of `history_photos.json` read and stored; each post's picture name by message id (61: a
    /// 1,280 px JPEG, 62: a 640 px JPEG, 63: a PNG, 64: announced at 30 MB, 65: a JPEG cut short, 66: not a picture).
    static func readPhotos(_ store: SQLiteStore, _ service: AccountService) async throws -> [Int64: String] {
        let (channel, _) = try await store.subscribe(userID: 1, ref: .telegram(username: "photo_demo"), tags: [])
        let posts = try await service.fetch(channel, route: nil, since: H.t0, state: nil).result.posts
        _ = try await store.savePosts(posts, channelID: channel.id, outcome: nil, dedupWindow: 0)
        return Dictionary(uniqueKeysWithValues: posts.map { ($0.messageID, $0.firstPicture?.displayURL ?? "") })
    }

    static func loader(_ store: SQLiteStore, clock: ManualClock, wait: TimeInterval, registry: MetricRegistry) -> ImageLoader {
        ImageLoader(fetcher: ImageFetcher(settings: ImageSettings(), logger: H.logger), cache: store,
                    metrics: ImageMetrics(registry: registry), logger: H.logger, clock: clock, verify: DigestPictures.rendererCheck,
                    accountPictures: AccountPictureRequests(store: store, wait: wait, poll: 0.02, clock: clock))
    }

    @Test("a photo post keeps its 1,280 px size's remote id, named tdlib:<id> in digests, and no bytes are downloaded while reading")
    func reference() async throws {
        try await H.withStore { store in
            let fake = try ScriptedTDJSON(fixture: "history_photos.json")
            let service = Self.service(store, fake, clock: ManualClock(H.t0 + 7000))
            _ = await service.tick()
            let names = try await Self.readPhotos(store, service)
            #expect(names[61] == "tdlib:AgACAgIAAxkBPhotoAy")
            #expect(names.count == 6 && names.values.allSatisfy { $0.hasPrefix("tdlib:") })
            #expect(fake.sent("downloadFile").isEmpty && fake.sent("getRemoteFile").isEmpty)
            #expect(try await store.imageCacheSize().entries == 0)
        }
    }

    @Test("tdlib: names hold a TDLib remote id only; a digest's markdown loads them beside http(s) pictures")
    func names() {
        #expect(AccountPicture.url(remoteFileID: "AgACAgIAAxkB_-9") == "tdlib:AgACAgIAAxkB_-9")
        for bad in ["", "Ag/AC", "Ag AC", "../etc", "Ag%2F", String(repeating: "A", count: 1025)] {
            #expect(AccountPicture.url(remoteFileID: bad) == nil, "\(bad.prefix(10))")
            #expect(AccountPicture.remoteFileID(in: "tdlib:" + bad) == nil)
        }
        #expect(AccountPicture.remoteFileID(in: "https://t.me/AgAC") == nil)
        #expect(ImageRef(kind: .photo, url: "https://cdn.example/a.jpg", remoteFileID: "AgAC").displayURL == "https://cdn.example/a.jpg")
        #expect(ImageRef(kind: .photo, remoteFileID: "Ag/AC").displayURL == nil)
        let markdown = "![a](tdlib:AgAC) ![b](tdlib:Ag/AC) ![c](https://cdn.example/c.png) ![d](file:///etc/passwd) ![e](tdlib:AgAC)"
        #expect(DigestPictures.destinations(in: markdown) == ["tdlib:AgAC", "https://cdn.example/c.png"])
    }

    @Test("the owner serves the requests: pictures within the limits are cached as they are, the others remembered with why")
    func ownerServes() async throws {
        try await H.withStore { store in
            let fake = try ScriptedTDJSON(fixture: "history_photos.json")
            let clock = ManualClock(H.t0 + 7000)
            let registry = MetricRegistry()
            let service = Self.service(store, fake, clock: clock, registry: registry)
            _ = await service.tick()
            let names = try await Self.readPhotos(store, service)
            let keep = H.t0 + 7 * 86_400
            for url in names.values { try await store.requestImage(url: url, keepUntil: keep, now: clock.now()) }

            await service.servePictureRequests()
            #expect(try await store.imageRequests(limit: 10).count == 2, "four at a time")
            await service.servePictureRequests()
            #expect(try await store.imageRequests(limit: 10).isEmpty)

            func cached(_ id: Int64) async throws -> CachedImage? { try await store.cachedImage(url: names[id]!, now: clock.now()) }
            let first = try #require(try await cached(61))
            #expect(first.format == .jpeg && first.width == 1280 && first.height == 853 && first.expiresAt == keep)
            #expect(first.bytes == (try TestFixtures.data("images/photo-1280x853.jpg")), "the bytes TDLib downloaded, as they are")
            #expect(try await cached(62).map { ($0.format, $0.width, $0.height) } ?? (nil, 0, 0) == (.jpeg, 640, 480))
            #expect(try await cached(63)?.format == .png)
            // Left out, each with its reason (remembered for an hour, so the next digest does not ask again).
            #expect(try await cached(64)?.skipReason == "too_large")
            #expect(try await cached(65)?.skipReason == "corrupt")
            #expect(try await cached(66)?.skipReason == "unsupported_type")
            #expect(try await cached(66)?.expiresAt == clock.now() + 3600)

            // The 30 MB photo was never downloaded; every downloaded copy was deleted from TDLib's files.
            #expect(fake.sent("downloadFile").count == 5)
            #expect(!fake.sent("downloadFile").contains { $0.contains(#""file_id":343"#) })
            #expect(fake.sent("deleteFile").count == 5)
            #expect(fake.sent("getRemoteFile").allSatisfy { $0.contains(#""file_type":{"@type":"fileTypePhoto"}"#) })
            let text = registry.text()
            #expect(text.contains(#"telegram_account_pictures_total{outcome="downloaded"} 3"#))
            #expect(text.contains(#"telegram_account_pictures_total{outcome="failed"} 3"#))
            #expect(fake.unscripted.isEmpty)
        }
    }

    @Test("a rendering process asks, the owner downloads, the rendering process finds the picture in the cache")
    func requestedAndFound() async throws {
        try await H.withStore { store in
            let fake = try ScriptedTDJSON(fixture: "history_photos.json")
            let clock = ManualClock(H.t0 + 7000)
            let registry = MetricRegistry()
            let service = Self.service(store, fake, clock: clock)
            _ = await service.tick()
            let names = try await Self.readPhotos(store, service)
            // The owner's service runs (its picture loop looks for requests every 50 ms of the clock, which the test
            // moves while the rendering process waits).
            let owner = Task { try await service.run() }
            let loader = Self.loader(store, clock: clock, wait: 20, registry: registry)
            let asking = Task { await loader.image(url: names[62]!, keepUntil: H.t0 + 86_400) }
            let done = Mutex(false)
            let waiter = Task {
                _ = await asking.value
                done.withLock { $0 = true }
            }
            #expect(try await clock.advance(until: { done.withLock { $0 } }, overSleepsOfAtMost: 0.05))
            await waiter.value
            let found = await asking.value
            // Asked again: from the cache, TDLib not asked.
            let downloads = fake.sent("downloadFile").count
            let again = await loader.image(url: names[62]!, keepUntil: H.t0 + 86_400)
            owner.cancel()
            _ = await owner.result
            await loader.shutdown()
            #expect((try? found.get())?.width == 640)
            #expect(try await store.imageRequests(limit: 10).isEmpty)
            #expect((try? again.get())?.height == 480)
            #expect(fake.sent("downloadFile").count == downloads)
            #expect(registry.text().contains("image_cache_hits_total 1"))
        }
    }

    @Test("without a process owning a logged-in account the picture is left out at once, and nothing is requested")
    func noOwner() async throws {
        try await H.withStore { store in
            let clock = ManualClock(H.t0)
            let registry = MetricRegistry()
            let loader = Self.loader(store, clock: clock, wait: 20, registry: registry)
            let started = ContinuousClock.now
            let result = await loader.image(url: "tdlib:AgACAgIAAxkBPhotoAy", keepUntil: H.t0 + 86_400)
            #expect(ContinuousClock.now - started < .seconds(5))
            defer { Task { await loader.shutdown() } }
            guard case .failure(let failure) = result else {
                Issue.record("a picture without an owner: \(result)")
                return
            }
            #expect(failure.reason == .accountUnavailable)
            #expect(try await store.imageRequests(limit: 10).isEmpty)
            #expect(registry.text().contains(#"image_skips_total{reason="account_unavailable"} 1"#))
            // A process whose lease ran out is no owner either.
            #expect(try await store.claimAccount(owner: "gone", now: H.t0 - 600, lease: 60))
            _ = try await store.setAccountState(owner: "gone", .loggedIn, now: H.t0 - 600)
            #expect(await loader.image(url: "tdlib:AgACAgIAAxkBPhotoAy", keepUntil: H.t0 + 86_400).failureReason == .accountUnavailable)
        }
    }

    @Test("an owner that does not answer in time: the digest goes on with the alt text, the request stays for the next one")
    func ownerTooSlow() async throws {
        try await H.withStore { store in
            let clock = ManualClock(H.t0)
            #expect(try await store.claimAccount(owner: "busy", now: H.t0, lease: 600))
            _ = try await store.setAccountState(owner: "busy", .loggedIn, now: H.t0)
            let loader = Self.loader(store, clock: clock, wait: 0.3, registry: MetricRegistry())
            let result = await loader.image(url: "tdlib:AgACAgIAAxkBPhotoAy", keepUntil: H.t0 + 86_400)
            await loader.shutdown()
            #expect(result.failureReason == .timeout)
            #expect(try await store.imageRequests(limit: 10).map(\.url) == ["tdlib:AgACAgIAAxkBPhotoAy"])
        }
    }
}

extension Result where Failure == ImageLoadFailure {
    var failureReason: ImageSkipReason? {
        if case .failure(let failure) = self { failure.reason } else { nil }
    }
}
