import Foundation
@testable import GazetteAccount
import GazetteCore
import GazetteTestSupport
import Testing

/// The messages of the recorded history pages, decoded as the service decodes them.
func fixtureMessages() throws -> [TDMessage] {
    let data = try TestFixtures.data("tdlib/history_public.json")
    let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    var out: [TDMessage] = []
    for case let step as [String: Any] in root["steps"] as? [Any] ?? [] where step["on"] as? String == "getChatHistory" {
        let answer = try JSONSerialization.data(withJSONObject: step["answer"] ?? [:])
        out += try JSONDecoder().decode(TDMessages.self, from: answer).messages.compactMap { $0 }
    }
    return Array(Dictionary(out.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }).values)
}

@Suite("TDLib messages → posts")
struct MessageMappingTests {
    let mapping = MessageMapping(channelKey: "gazette_demo", username: "gazette_demo")

    @Test("text with entities becomes text and HTML; views, forwards, edit date, link preview and the t.me link are kept")
    func textPost() throws {
        let posts = mapping.posts(try fixtureMessages())
        let post = try #require(posts.first { $0.messageID == 1010 })
        #expect(post.text == "Weekly notes: see docs.example.org and @durov #news\ncode here")
        #expect(post.html == #"<b>Weekly notes</b>: see <a href="https://docs.example.org">docs.example.org</a> and "#
                + #"<a href="https://t.me/durov">@durov</a> #news<br><pre><code class="language-swift">code here</code></pre>"#)
        #expect(post.views == 1500 && post.forwards == 12)
        #expect(post.editedAt == Date(timeIntervalSince1970: 1_764_005_100))
        #expect(post.date == Date(timeIntervalSince1970: 1_764_005_000))
        #expect(post.linkPreviewTitle == "Example docs")
        #expect(post.url == "https://t.me/gazette_demo/1010")
        #expect(post.media.isEmpty)
    }

    @Test("an album is one post under its first message id, with its caption and its media counted per kind")
    func album() throws {
        let posts = mapping.posts(try fixtureMessages())
        let album = try #require(posts.first { $0.messageID == 1007 })
        #expect(!posts.contains { $0.messageID == 1008 || $0.messageID == 1009 })
        #expect(album.text == "Привет 👋 world")
        #expect(album.html == #"<a href="https://example.org/a?b=1&amp;c=2">Привет</a> 👋 <b>world</b>"#)
        #expect(Set(album.media) == [MediaSummary(kind: "photo", count: 2), MediaSummary(kind: "video", count: 1)])
        #expect(album.views == 910 && album.forwards == 3)
    }

    @Test("service messages are skipped; polls and documents keep their text; forwarded-from names the origin")
    func kinds() throws {
        let messages = try fixtureMessages()
        let posts = mapping.posts(messages, origins: [.channel(id: -1009876543210): "Source News"])
        #expect(!posts.contains { $0.messageID == 1005 })
        #expect(posts.map(\.messageID) == [1003, 1004, 1006, 1007, 1010, 1011])
        #expect(posts.first { $0.messageID == 1004 }?.text == "Which one?")
        #expect(posts.first { $0.messageID == 1004 }?.media == [MediaSummary(kind: "poll", count: 1)])
        let forwarded = try #require(posts.first { $0.messageID == 1006 })
        #expect(forwarded.forwardedFrom == "Source News")
        #expect(forwarded.html == "Forwarded &lt;breaking&gt; news &amp; more")
        #expect(mapping.posts(messages).first { $0.messageID == 1006 }?.forwardedFrom == nil)
    }

    @Test("a private channel's posts link through t.me/c/")
    func privateLink() throws {
        let message = try #require(try fixtureMessages().first { $0.id == 1010 << 20 })
        let post = try #require(MessageMapping(channelKey: "+AbCdEfGhIjKl", username: nil).post(message))
        #expect(post.url == "https://t.me/c/1234567890/1010")
        #expect(post.channel == "+AbCdEfGhIjKl")
    }

    @Test("overlapping and out-of-range entities stay well-formed; unsafe links are dropped")
    func entityEdgeCases() {
        let text = TDFormattedText(text: "abcdef", entities: [
            .init(offset: 0, length: 4, type: "textEntityTypeBold"),
            .init(offset: 2, length: 4, type: "textEntityTypeItalic"),
            .init(offset: 5, length: 10, type: "textEntityTypeCode"),
            .init(offset: 0, length: 2, type: "textEntityTypeTextUrl", url: "javascript:alert(1)"),
        ])
        #expect(FormattedTextHTML.html(text) == "<b>ab<i>cd</i></b>ef")
    }
}
