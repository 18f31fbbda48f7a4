import Foundation
import GazetteCore
@testable import GazetteStorage
import Testing

@Suite("Store contract: post pictures, the image cache and the reader's pictures setting")
struct ImageContractTests {
    @Test("a post's picture references are kept in order, replaced by an edit, and checked", arguments: StoreKind.available)
    func references(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let channel = try await store.upsertChannel(tg("pictures"))
            var album = post("pictures", 1, "An album", at: t0)
            album.images = [
                ImageRef(kind: .photo, url: "https://cdn.example/a.jpg"),
                ImageRef(kind: .photo, url: "https://cdn.example/b.jpg"),
                ImageRef(kind: .videoThumbnail, url: "https://cdn.example/v.jpg"),
            ]
            var account = post("pictures", 2, "Read through the account", at: t0 + 60)
            account.images = [ImageRef(kind: .photo, remoteFileID: "AgACAgIAAxkBAAI", width: 1280, height: 960)]
            let plain = post("pictures", 3, "No pictures", at: t0 + 120)
            let saved = try await store.savePosts([album, account, plain], channelID: channel.id, outcome: nil, dedupWindow: 0)
            #expect(saved.saved == 3)
            let stored = try await store.posts(channelID: channel.id, since: t0 - 1, until: t0 + 3600, limit: 10)
            #expect(stored.map(\.images) == [[], account.images, album.images])
            #expect(stored.last?.firstPicture?.url == "https://cdn.example/a.jpg")
            #expect(stored[1].firstPicture?.displayURL == "tdlib:AgACAgIAAxkBAAI", "a TDLib file is named by its remote id")

            var edited = album
            edited.images = [ImageRef(kind: .linkPreview, url: "https://cdn.example/preview.png")]
            try await store.upsertPost(edited, channelID: channel.id)
            let after = try await store.posts(channelID: channel.id, since: t0 - 1, until: t0 + 1, limit: 10)
            #expect(after.first?.images == edited.images)

            var bad = post("pictures", 4, "Too many", at: t0)
            bad.images = Array(repeating: ImageRef(kind: .photo, url: "https://cdn.example/x.jpg"), count: ImageRef.maxPerPost + 1)
            await #expect(throws: StoreError.self) { _ = try await store.savePosts([bad], channelID: channel.id, outcome: nil, dedupWindow: 0) }
            bad.images = [ImageRef(kind: .photo)]
            await #expect(throws: StoreError.self) { _ = try await store.savePosts([bad], channelID: channel.id, outcome: nil, dedupWindow: 0) }
            #expect(try await store.posts(channelID: channel.id, since: t0 - 1, until: t0 + 3600, limit: 10).count == 3)
        }
    }

    @Test("cached pictures and remembered failures are found until they expire; a later expiry wins", arguments: StoreKind.available)
    func cache(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let bytes = Data([0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 7, count: 1000))
            let jpeg = CachedImage(url: "https://cdn.example/a.jpg", format: .jpeg, bytes: bytes, width: 640, height: 480,
                                   fetchedAt: t0, expiresAt: t0 + 3600)
            try await store.storeImage(jpeg)
            #expect(try await store.cachedImage(url: jpeg.url, now: t0 + 10) == jpeg)
            #expect(try await store.cachedImage(url: jpeg.url, now: t0 + 3600) == nil)
            #expect(try await store.cachedImage(url: "https://cdn.example/other.jpg", now: t0) == nil)

            // Stored again with an earlier expiry (another digest's post): the later one stays.
            var again = jpeg
            again.expiresAt = t0 + 60
            try await store.storeImage(again)
            #expect(try await store.cachedImage(url: jpeg.url, now: t0 + 120)?.expiresAt == t0 + 3600)

            let failure = CachedImage.failure(url: "https://cdn.example/broken.jpg", reason: ImageSkipReason.corrupt.rawValue,
                                              fetchedAt: t0, expiresAt: t0 + 600)
            try await store.storeImage(failure)
            let remembered = try await store.cachedImage(url: failure.url, now: t0 + 1)
            #expect(remembered?.format == nil && remembered?.skipReason == "corrupt" && remembered?.bytes.isEmpty == true)
            #expect(try await store.imageCacheSize() == CacheSize(entries: 2, bytes: Int64(bytes.count)))

            await #expect(throws: StoreError.self) {
                try await store.storeImage(CachedImage(url: "https://cdn.example/x", format: nil, bytes: Data(), width: 0, height: 0,
                                                       fetchedAt: t0, expiresAt: t0 + 1))
            }
            await #expect(throws: StoreError.self) {
                try await store.storeImage(CachedImage(url: String(repeating: "x", count: 3000), format: .png, bytes: Data([1]), width: 1,
                                                       height: 1, fetchedAt: t0, expiresAt: t0 + 1))
            }
        }
    }

    @Test("trimming drops expired entries, then the oldest fetched beyond the byte cap", arguments: StoreKind.available)
    func trim(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            for i in 0..<5 {
                try await store.storeImage(CachedImage(url: "https://cdn.example/\(i).png", format: .png,
                                                       bytes: Data(repeating: UInt8(i), count: 1000), width: 10, height: 10,
                                                       fetchedAt: t0 + Double(i), expiresAt: t0 + (i == 0 ? 50 : 3600)))
            }
            // At t0 + 100 entry 0 has expired; 2,500 bytes keep the two newest (4 and 3).
            #expect(try await store.trimImageCache(now: t0 + 100, maxBytes: 2500) == 3)
            #expect(try await store.imageCacheSize() == CacheSize(entries: 2, bytes: 2000))
            #expect(try await store.cachedImage(url: "https://cdn.example/4.png", now: t0 + 100) != nil)
            #expect(try await store.cachedImage(url: "https://cdn.example/3.png", now: t0 + 100) != nil)
            #expect(try await store.cachedImage(url: "https://cdn.example/2.png", now: t0 + 100) == nil)
            #expect(try await store.trimImageCache(now: t0 + 100, maxBytes: 2500) == 0)
            #expect(try await store.trimImageCache(now: t0 + 100, maxBytes: 0) == 2)
            #expect(try await store.imageCacheSize() == CacheSize(entries: 0, bytes: 0))
        }
    }

    @Test("the reader's pictures setting is on, off or unset, beside the language", arguments: StoreKind.available)
    func readerSetting(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            #expect(try await store.readerImages(userID: 9) == nil)
            try await store.setReaderLanguage(userID: 9, "ru")
            try await store.setReaderImages(userID: 9, false)
            #expect(try await store.readerImages(userID: 9) == false)
            #expect(try await store.readerLanguage(userID: 9) == "ru")
            try await store.setReaderImages(userID: 9, true)
            #expect(try await store.readerImages(userID: 9) == true)
            try await store.setReaderLanguage(userID: 9, nil)
            #expect(try await store.readerImages(userID: 9) == true)
            try await store.setReaderImages(userID: 9, nil)
            #expect(try await store.readerImages(userID: 9) == nil)
            #expect(try await store.readerImages(userID: 10) == nil)
        }
    }

    @Test("requests for the account's pictures: oldest first, asked again keeps the first time and the later expiry, removed once served",
          arguments: StoreKind.available)
    func imageRequests(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            try await store.requestImage(url: "tdlib:AgACB", keepUntil: t0 + 600, now: t0 + 2)
            try await store.requestImage(url: "tdlib:AgACA", keepUntil: t0 + 100, now: t0 + 1)
            try await store.requestImage(url: "tdlib:AgACA", keepUntil: t0 + 900, now: t0 + 5)
            try await store.requestImage(url: "tdlib:AgACA", keepUntil: t0 + 50, now: t0 + 6)
            #expect(try await store.imageRequests(limit: 10) == [
                ImageRequest(url: "tdlib:AgACA", keepUntil: t0 + 900, requestedAt: t0 + 1),
                ImageRequest(url: "tdlib:AgACB", keepUntil: t0 + 600, requestedAt: t0 + 2),
            ])
            #expect(try await store.imageRequests(limit: 1).map(\.url) == ["tdlib:AgACA"])
            try await store.removeImageRequest(url: "tdlib:AgACA")
            try await store.removeImageRequest(url: "tdlib:gone")
            #expect(try await store.imageRequests(limit: 10).map(\.url) == ["tdlib:AgACB"])
            await #expect(throws: StoreError.self) { try await store.requestImage(url: "", keepUntil: t0, now: t0) }
            await #expect(throws: StoreError.self) { try await store.imageRequests(limit: 0) }
        }
    }
}
