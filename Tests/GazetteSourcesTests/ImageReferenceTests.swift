import Foundation
import GazetteCore
@testable import GazetteSources
import Testing

@Suite("Picture references from t.me previews and feeds")
struct ImageReferenceTests {
    let base = URL(string: "https://t.me")!

    func posts(_ file: String, channel: String) throws -> [Int64: Post] {
        let content = try TelegramPreviewParser.parse(Fixtures.data("telegram-preview/\(file)"), channel: channel, baseURL: base)
        guard case .channel(let page) = content else { throw CancellationError() }
        return Dictionary(uniqueKeysWithValues: page.posts.map { ($0.messageID, $0) })
    }

    @Test("an album records one photo per item and the video's thumbnail, in page order")
    func album() throws {
        let post = try #require(try posts("message_media_photo_and_video.html", channel: "anna_news")[46908])
        #expect(post.images.map(\.kind) == [.videoThumbnail, .photo, .photo])
        #expect(post.images.allSatisfy { $0.url?.hasPrefix("https://cdn4.telegram-cdn.org/file/") == true })
        #expect(post.images[0].url?.hasPrefix("https://cdn4.telegram-cdn.org/file/bQ4J9WIu_QXPT3") == true)
        #expect(post.images[1].url?.hasPrefix("https://cdn4.telegram-cdn.org/file/hreFvq_I28dSzoM2") == true)
        #expect(post.images[1].url?.hasSuffix(".jpg") == true)
        #expect(post.images[2].url?.hasPrefix("https://cdn4.telegram-cdn.org/file/uncPmElZ9yFcNTW") == true)
        #expect(post.firstPicture == post.images[1], "a photo comes before a video thumbnail")
        #expect(post.images.allSatisfy { !($0.url ?? "").contains("\"") && !($0.url ?? "").contains("'") })
    }

    @Test("a link preview records its image")
    func linkPreview() throws {
        let post = try #require(try posts("message_link_preview.html", channel: "vnnews").values.first)
        #expect(post.images.count == 1)
        #expect(post.images.first?.kind == .linkPreview)
        #expect(post.images.first?.url?.hasPrefix("https://cdn4.telegram-cdn.org/file/Vk3eUCs_p7BY") == true)
        #expect(post.images.first?.url?.hasSuffix("earw.jpg") == true)
    }

    @Test("the full page: photos per album item, text posts without pictures, the author's avatar never counted")
    func fullPage() throws {
        let posts = try posts("full.html", channel: "topwar_official")
        #expect(posts[71000]?.images.filter { $0.kind == .photo }.count == 6)
        #expect(posts[70989]?.images.filter { $0.kind == .photo }.count == 1)
        #expect(posts[70990]?.images == [])
        for post in posts.values {
            #expect(post.images.filter { $0.kind == .photo }.count == post.media.first { $0.kind == "photo" }?.count ?? 0)
        }
    }

    @Test("background-image styles in their three quotings")
    func styles() {
        #expect(ImageReferences.backgroundImage("width:1px;background-image:url('https://a/b.jpg');x") == "https://a/b.jpg")
        #expect(ImageReferences.backgroundImage("background-image: url(\"https://a/c.jpg\");") == "https://a/c.jpg")
        #expect(ImageReferences.backgroundImage("background-image:url(https://a/d.jpg)") == "https://a/d.jpg")
        #expect(ImageReferences.backgroundImage("color: red") == nil)
        #expect(ImageReferences.httpURL("javascript:alert(1)", baseURL: base) == nil)
        #expect(ImageReferences.httpURL("//cdn.example/x.jpg", baseURL: nil) == "https://cdn.example/x.jpg")
    }

    @Test("feeds: image enclosures, media:content and media:thumbnail, else the first <img>")
    func feeds() throws {
        let feed = try FeedParser.parse(Fixtures.data("feeds/media_rss.xml"), url: "https://example.com/feed")
        #expect(feed.items.count == 4)
        #expect(feed.items[0].images == [ImageRef(kind: .enclosure, url: "https://example.com/media/1.jpg")])
        #expect(feed.items[1].images.map(\.url) == ["https://example.com/media/2a.png", "https://example.com/media/2b.webp",
                                                     "https://example.com/media/2d.jpg"])
        #expect(feed.items[2].images.map(\.url) == ["https://example.com/images/3.jpg"])
        #expect(feed.items[3].images == [])
        let post = FeedSource.post(feed.items[1], channel: "https://example.com/feed", fetchedAt: Date())
        #expect(post.images == feed.items[1].images)
        #expect(post.firstPicture?.url == "https://example.com/media/2a.png")
        // The fixtures without pictures stay without.
        let plain = try FeedParser.parse(Fixtures.data("feeds/rss2_sample.xml"), url: "https://example.com/rss")
        #expect(plain.items.allSatisfy { $0.images.isEmpty })
    }
}
