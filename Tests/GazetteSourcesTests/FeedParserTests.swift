import Foundation
import GazetteCore
@testable import GazetteSources
import Testing

@Suite("feed parser")
struct FeedParserTests {
    @Test func rss2Sample() throws {
        let feed = try FeedParser.parse(Fixtures.data("feeds/rss2_sample.xml"), url: "https://example.com/feed")
        #expect(feed.format == .rss2)
        #expect(feed.title == "Gazette Test Feed")
        #expect(feed.link == "https://example.com/")
        #expect(feed.items.count == 5)
        #expect(feed.items.map(\.title) == ["Plain item one", "Item with HTML in CDATA", "Новости недели: рынок и технологии",
                                            "Item without pubDate", "Item with enclosure"])
        #expect(feed.items.map(\.link) == (1...5).map { "https://example.com/posts/\($0)" })
        #expect(feed.items[0].date == Fixtures.utc("2024-05-17T08:00:00Z"))
        #expect(feed.items[1].date == Fixtures.utc("2024-05-16T14:30:00Z"))
        #expect(feed.items[2].date == Fixtures.utc("2024-05-15T07:00:00Z"))
        #expect(feed.items[3].date == nil)
        #expect(feed.items[4].date == Fixtures.utc("2024-05-13T06:05:09Z"))
        #expect(feed.items[1].id == "example-post-2")
        #expect(feed.items[1].author == "Jane Doe")
        #expect(feed.items[4].enclosureTypes == ["audio/mpeg"])
        #expect(feed.items[1].html?.contains(#"<a href="https://example.com/x?a=1&b=2">link</a>"#) == true)
    }

    @Test func rss2Posts() throws {
        let feed = try FeedParser.parse(Fixtures.data("feeds/rss2_sample.xml"), url: "https://example.com/feed")
        let fetchedAt = Fixtures.utc("2024-05-18T00:00:00Z")
        let posts = feed.items.map { FeedSource.post($0, channel: "https://example.com/feed", fetchedAt: fetchedAt) }
        #expect(posts[0].text.contains("R&D."))
        #expect(posts[1].text.hasPrefix("Item with HTML in CDATA\n\nFirst bold paragraph with a link."))
        #expect(posts[1].text.contains("Second paragraph & italic text."))
        #expect(posts[1].html?.contains(#"<a href="https://example.com/x?a=1&amp;b=2">link</a>"#) == true)
        #expect(posts[2].text.hasSuffix("🚀"))
        #expect(posts[3].date == fetchedAt)
        #expect(posts[4].media == [MediaSummary(kind: "audio", count: 1)])
        #expect(posts.allSatisfy { $0.messageID > 0 && $0.channel == "https://example.com/feed" })
        #expect(Set(posts.map(\.messageID)).count == 5)
        // Stable: the same item gets the same id on every parse.
        let again = try FeedParser.parse(Fixtures.data("feeds/rss2_sample.xml"), url: "https://example.com/feed")
        #expect(again.items.map(FeedSource.stableID) == posts.map(\.messageID))
    }

    @Test func atomSample() throws {
        let feed = try FeedParser.parse(Fixtures.data("feeds/atom_sample.xml"), url: "https://example.org/atom")
        #expect(feed.format == .atom)
        #expect(feed.title == "Gazette Atom Fixture")
        #expect(feed.link == "https://example.org/")
        #expect(feed.items.count == 4)
        #expect(feed.items.map(\.link) == (1...4).map { "https://example.org/entries/\($0)" })
        #expect(feed.items[0].id == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a")
        #expect(feed.items[0].date == Fixtures.utc("2024-05-17T07:30:00Z"))  // published wins over updated
        #expect(feed.items[1].date == Fixtures.utc("2024-05-16T10:00:00Z"))
        #expect(feed.items[1].html == #"<p>Escaped <b>HTML</b> content with a <a href="https://example.org/y">link</a>.</p>"#)
        #expect(feed.items[2].author == "Иван Петров")
        #expect(feed.items[3].id == "tag:example.org,2024:entry-4")
        let posts = feed.items.map { FeedSource.post($0, channel: "https://example.org/atom", fetchedAt: Date()) }
        #expect(posts[0].text == "Entry one (plain text summary)\n\nShort plain-text summary.")
        #expect(posts[1].text == "Entry two (HTML content)\n\nEscaped HTML content with a link.")
        #expect(posts[2].text.hasSuffix("Краткое содержание на русском языке 📈"))
        #expect(posts[3].text.count > "Entry four (XHTML content)".count)
    }

    @Test func malformedFeedIsAnErrorNamingThePosition() throws {
        let data = try Fixtures.data("feeds/malformed_truncated.xml")
        #expect {
            _ = try FeedParser.parse(data, url: "https://example.com/feed")
        } throws: { error in
            guard let e = error as? SourceError, case .invalidFeed(_, let detail) = e else { return false }
            return e.errorType.rawValue == "invalid_feed" && detail.contains("line")
        }
    }

    @Test(arguments: ["", "not xml at all", "<html><body>a web page</body></html>", "<rss version=\"2.0\"></rss>",
                      "<feed xmlns=\"http://example.com/not-atom\"></feed>"])
    func garbageIsInvalidFeed(body: String) {
        #expect {
            _ = try FeedParser.parse(Data(body.utf8), url: "https://example.com/feed")
        } throws: { error in
            (error as? SourceError)?.errorType.rawValue == "invalid_feed"
        }
    }

    @Test func externalEntitiesAreNeverLoaded() throws {
        let body = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
            + "<rss version=\"2.0\"><channel><title>t</title><item><title>x&e;y</title></item></channel></rss>"
        let feed = try FeedParser.parse(Data(body.utf8), url: "https://example.com/feed")
        #expect(feed.items.count == 1)
        #expect(feed.items[0].title?.contains("root:") == false)
    }
}
