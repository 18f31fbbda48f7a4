import Foundation
import GazetteCore
import GazetteTestSupport
import Testing
@testable import GazetteSources

/// OPML files in the shapes readers export, read and planned into subscriptions (Tests/Fixtures/opml).
@Suite struct OPMLTests {
    static func plan(_ fixture: String, allowPrivate: Bool = false) throws -> (candidates: [OPMLSubscriptions.Candidate], skipped: [OPMLSubscriptions.Skipped]) {
        OPMLSubscriptions.plan(try OPMLDocument.outlines(try TestFixtures.data("opml/\(fixture)")), allowPrivate: allowPrivate)
    }

    @Test func nestedFoldersOfAWebReaderBecomeTagsAndTheDuplicateIsSkipped() throws {
        let outlines = try OPMLDocument.outlines(try TestFixtures.data("opml/feedreader-v2-nested.opml"))
        #expect(outlines.count == 6)
        #expect(outlines[2].title == "World Desk & Co" && outlines[2].folders == ["News", "World"])
        let (candidates, skipped) = try Self.plan("feedreader-v2-nested.opml")
        #expect(candidates.map(\.ref) == [
            .feed(url: "https://news.example.com/rss.xml"), .telegram(username: "durov"), .feed(url: "https://world.example.org/atom.xml"),
            .feed(url: "https://tech.example.net/feed"), .feed(url: "http://plain.example.com/index.rss"),
        ])
        #expect(candidates[2].tags == ["News", "World"])
        #expect(candidates[4].tags.isEmpty)
        #expect(skipped.map(\.reason) == [.duplicateInFile])
        #expect(skipped[0].line == 17)
    }

    @Test func outlinesWithoutTypeInLatin1AndTheOtherSpellingOfXmlURL() throws {
        let outlines = try OPMLDocument.outlines(try TestFixtures.data("opml/desktop-v1-no-type.opml"))
        #expect(outlines.first?.title == "Café Blog")
        let (candidates, skipped) = try Self.plan("desktop-v1-no-type.opml")
        #expect(candidates.map(\.ref.key) == ["https://cafe.example.com/feed.xml", "https://bridge.example.com/telegram/channel/durov",
                                              "https://upper.example.com/rss"])
        #expect(candidates[2].tags == ["Folder"])
        #expect(skipped.map(\.reason) == [.noURL])
        #expect(skipped[0].source == "Only a title, no URL")
    }

    @Test func telegramLinksInHtmlURLAreChannels() throws {
        let (candidates, skipped) = try Self.plan("htmlurl-only.opml")
        #expect(candidates.map(\.ref) == [.telegram(username: "telegram"), .telegram(username: "durov"), .telegram(username: "tginfo"),
                                          .invite(hash: "AbCdEf1234567"), .feed(url: "https://site.example.com/feed.atom")])
        #expect(skipped.isEmpty)
    }

    @Test func everySkipReasonIsNamed() throws {
        let (candidates, skipped) = try Self.plan("skips.opml")
        #expect(candidates.map(\.ref.key) == ["https://good.example.com/rss"])
        #expect(skipped.map(\.reason) == [.duplicateInFile, .unsupportedScheme, .unsupportedScheme, .notAURL, .privateAddress,
                                          .privateAddress, .privateAddress, .invalidChannel, .noURL])
        #expect(skipped[1].detail.contains("ftp"))
        #expect(skipped[4].detail.contains("127.0.0.1"))
        // With private sources allowed (tests, a home network) the addresses are taken.
        let allowed = try Self.plan("skips.opml", allowPrivate: true)
        #expect(allowed.candidates.count == 4)
    }

    @Test func malformedXMLNamesTheLine() throws {
        let error = #expect(throws: OPMLError.self) { try OPMLDocument.outlines(try TestFixtures.data("opml/malformed.opml")) }
        #expect(error?.message.contains("not well-formed XML") == true)
        #expect(error?.message.contains("line 8, column 1") == true, "\(error?.message ?? "")")
    }

    @Test func entityDeclarationsAreRefusedBeforeParsing() throws {
        let error = #expect(throws: OPMLError.self) { try OPMLDocument.outlines(try TestFixtures.data("opml/entities.opml")) }
        #expect(error?.message.contains("entities") == true)
    }

    @Test(arguments: [
        ("", "empty"), ("<rss version=\"2.0\"><channel/></rss>", "root element is <rss>"),
        ("<opml version=\"2.0\"><head/></opml>", "no <body>"), ("not xml at all", "not well-formed"),
    ])
    func notOPMLIsNamed(text: String, expected: String) {
        let error = #expect(throws: OPMLError.self) { try OPMLDocument.outlines(Data(text.utf8)) }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test func tooLargeIsRefused() {
        let big = Data(repeating: 0x20, count: OPMLDocument.maxBytes + 1)
        let error = #expect(throws: OPMLError.self) { try OPMLDocument.outlines(big) }
        #expect(error?.message.contains("too large") == true)
    }

    @Test func writtenDocumentsReadBackWithTheirTagsAndEscaping() throws {
        let entries = [
            OPMLDocument.Entry(title: "Durov <&> \"quotes\"", xmlURL: "https://t.me/s/durov", htmlURL: "https://t.me/durov", tags: ["news", "tg"]),
            OPMLDocument.Entry(title: "Feed", xmlURL: "https://a.example.com/rss?x=1&y=2", htmlURL: nil, tags: []),
            OPMLDocument.Entry(title: "Другой", xmlURL: "https://b.example.com/atom", htmlURL: nil, tags: ["news"]),
        ]
        let text = OPMLDocument.write(title: "T", entries: entries, created: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
        #expect(text.contains("<dateCreated>Fri, 15 Jan 2027 08:00:00 GMT</dateCreated>"))
        // Document order: the "news" folder (made by the first entry, holding both news entries), then the rest.
        let back = try OPMLDocument.outlines(Data(text.utf8))
        #expect(back.map(\.xmlURL) == [entries[0].xmlURL, entries[2].xmlURL, entries[1].xmlURL])
        #expect(back[0].title == "Durov <&> \"quotes\"")
        #expect(back[0].folders == ["news"] && back[0].categories == ["news", "tg"])
        #expect(OPMLSubscriptions.tags(of: back[0]) == ["news", "tg"])
        #expect(back[1].title == "Другой" && back[1].folders == ["news"])
        #expect(OPMLSubscriptions.tags(of: back[2]).isEmpty)
    }
}
