import Foundation
import GazetteCore
@testable import GazetteSources
import Testing

/// Issue 26: the failure classes of real feeds, one test each, on real feeds of `Tests/Fixtures/feeds-real` (see its
/// README) or on real text where no saved feed shows the class.
@Suite("feeds as the world writes them")
struct FeedRealWorldTests {
    static func real(_ name: String, url: String = "http://127.0.0.1:8080/feed.xml") throws -> ParsedFeed {
        try FeedParser.parse(Fixtures.data("feeds-real/\(name)"), url: url)
    }

    // MARK: 1. the first non-empty body

    /// Narro's real episode text, with the empty `content:encoded` podcasts publish beside their show notes.
    @Test func anEmptyContentEncodedDoesNotHideTheDescription() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
            <title>foobar on Narro</title><link>http://on.narro.co/f</link>
            <item><title>FAQ for Narro</title><link>https://www.narro.co/article/54e703933058540300000069</link>
            <content:encoded><![CDATA[]]></content:encoded>
            <description>Listen to your reading list anywhere. Narro will take your bookmarked articles and read them back to you as a podcast.&lt;br/&gt; http://www.narro.co/faq</description>
            <pubDate>Fri, 20 Feb 2015 09:51:15 UTC</pubDate></item>
            <item><title>Second</title><link>https://www.narro.co/article/2</link>
            <content:encoded><![CDATA[ <p> &nbsp; </p> ]]></content:encoded><description>The show notes.</description></item>
            </channel></rss>
            """
        let feed = try FeedParser.parse(Data(xml.utf8), url: "http://on.narro.co/f")
        #expect(feed.items[0].html?.hasPrefix("Listen to your reading list anywhere.") == true)
        #expect(feed.items[1].html == "The show notes.", "markup and no-break spaces only are blank too")
        let post = FeedSource.post(feed.items[0], channel: "narro", fetchedAt: Date())
        #expect(post.text == "FAQ for Narro\n\nListen to your reading list anywhere. Narro will take your bookmarked articles and read them back to you as a podcast.\nhttp://www.narro.co/faq")
    }

    // MARK: 2. URL resolution

    @Test func relativeLinksResolveAgainstXMLBaseAndTheDocumentURL() throws {
        // `xml:base=""` on the feed: the document's own URL is the base.
        let tpm = try Self.real("nodefeedparser-tpm-with-empty-base.atom", url: "https://talkingpointsmemo.com/feed/all")
        #expect(tpm.items[0].link == "https://talkingpointsmemo.com/livewire/hannity-announces-fox-hired-sebastian-gorka-national-security-strategist")
        // RSS with a relative channel and item link.
        let neverwinter = try Self.real("nodefeedparser-rss-with-relative-urls.xml", url: "http://www.arcgames.com/en/games/neverwinter/news/rss")
        #expect(neverwinter.link == "http://www.arcgames.com/en/games/neverwinter/news")
        #expect(neverwinter.items[0].link == "http://www.arcgames.com/en/games/neverwinter/news/detail/10743874-neverwinter-%26-jingle-jam-humble-bundle%21")
        // A Jekyll feed without a namespace or base.
        let jekyll = try Self.real("prof18-atom-relative-url.xml", url: "https://aurimas.dev/feed.xml")
        #expect(jekyll.items[0].link == "https://aurimas.dev/2024/12/18/What-The-Distribution.html")
        // xml:base on an entry wins over the document and is itself resolved against the feed's base; the body's
        // links resolve against the content's base.
        let xml = """
            <feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://www.qemu.org/blog/"><title>QEMU</title>
            <entry xml:base="/2025/08/26/"><id>tag:qemu.org,2025:qemu-10-1-0</id><title>QEMU version 10.1.0 released</title>
            <link href="qemu-10-1-0/"/><updated>2025-08-26T00:00:00Z</updated>
            <content type="html">&lt;a href="../../../download/"&gt;Download&lt;/a&gt;</content></entry></feed>
            """
        let qemu = try FeedParser.parse(Data(xml.utf8), url: "https://www.qemu.org/feed.xml")
        #expect(qemu.items[0].link == "https://www.qemu.org/2025/08/26/qemu-10-1-0/")
        let post = FeedSource.post(qemu.items[0], channel: "qemu", fetchedAt: Date())
        #expect(post.html == #"<a href="https://www.qemu.org/download/">Download</a>"#)
    }

    // MARK: 3. dates

    @Test(arguments: [
        ("2020/1/10 14:33:00", "2020-01-10T14:33:00Z"),
        ("Sat, Dec 16 2023 02:02:33 PM", "2023-12-16T14:02:33Z"),
        ("2023-12-16", "2023-12-16T00:00:00Z"),
        ("2019-05-18 10:58:46 +0300", "2019-05-18T07:58:46Z"),
        ("Sun, 10 Dec 17 13:01:36 -0800", "2017-12-10T21:01:36Z"),
        ("Fri, 08 Jul 2016 13:40:00 UTC", "2016-07-08T13:40:00Z"),
        ("Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00Z"),
        ("Wed, 22 Jan 2014 20:31:31 +0600", "2014-01-22T14:31:31Z"),
        ("Mon, 13 May 2024 06:05:09 EST", "2024-05-13T11:05:09Z"),
        ("Thu, 18 Jun 2020 22:37:47 PDT", "2020-06-19T05:37:47Z"),
        ("Sun, 15 Nov 2015 07:50:14 -0800 (PST)", "2015-11-15T15:50:14Z"),
        ("Fri, 05/03/2019 - 15:21", "2019-05-03T15:21:00Z"),
        ("2024-12-16T15:10:21+00:00", "2024-12-16T15:10:21Z"),
        ("2015-12-19T06:01:00-08:00", "2015-12-19T14:01:00Z"),
        ("2025-02-26T16:42:45.250Z", "2025-02-26T16:42:45Z"),
        ("2023-12-16T14:02", "2023-12-16T14:02:00Z"),
        ("December 16, 2023", "2023-12-16T00:00:00Z"),
        ("16 December 2023 2:02 pm", "2023-12-16T14:02:00Z"),
        ("16.12.2023 14:02", "2023-12-16T14:02:00Z"),
        ("16/12/2023 14:02", "2023-12-16T14:02:00Z"),
        ("12/16/2023", "2023-12-16T00:00:00Z"),
        ("Tue, 04 Jan 2022 5:04 PM +0100", "2022-01-04T16:04:00Z"),
        ("Seg, 24 Set 2018 19:42:40 -0300", "2018-09-24T22:42:40Z"),
        ("24 сентября 2018, 10:15", "2018-09-24T10:15:00Z"),
        ("Mo, 03 Mär 2025 08:00:00 +0100", "2025-03-03T07:00:00Z"),
    ])
    func realWorldDateForms(raw: String, iso: String) throws {
        let date = try #require(DateParsing.parse(raw))
        #expect(abs(date.timeIntervalSince(Fixtures.utc(iso))) < 1, "\(raw)")
    }

    @Test(arguments: ["", "yesterday", "Montag, 1. Februar 2016, 14:29 Uhr", "2023-13-01", "31 Feb 2024", "2023-12-16T25:00",
                      "Fri, 17 May 2024 08:00:00 +9900", "12345"])
    func notDates(raw: String) {
        #expect(DateParsing.parse(raw) == nil, "\(raw)")
    }

    @Test func dcDateOnlyAndOddDatesOfRealFeeds() throws {
        let reporterre = try Self.real("prof18-feed-dcdate.xml")
        #expect(reporterre.items[0].date == Fixtures.utc("2025-02-26T16:42:45Z"))
        let aif = try Self.real("prof18-feed-test-ru.xml")
        #expect(aif.updated == Fixtures.utc("2019-05-18T07:58:46Z"), "lastBuildDate 2019-05-18 10:58:46 +0300")
        let fda = try Self.real("prof18-feed-test-time.xml")
        #expect(fda.items[0].date == Fixtures.utc("2019-05-03T15:21:00Z"))
        #expect(fda.items[0].unreadDate == nil)
    }

    @Test func anUnreadableDateIsKeptForCountingAndDatedFromTheFeed() throws {
        let xml = """
            <rss version="2.0"><channel><title>heise</title><lastBuildDate>Mon, 01 Feb 2016 17:54:50 +0100</lastBuildDate>
            <item><title>Scrum Day 2016</title><link>http://heise.de/-3088627</link><pubDate>Montag, 1. Februar 2016</pubDate></item>
            </channel></rss>
            """
        let feed = try FeedParser.parse(Data(xml.utf8), url: "http://heise.de/feed")
        #expect(feed.items[0].date == nil)
        #expect(feed.items[0].unreadDate == "Montag, 1. Februar 2016")
        let fetched = Fixtures.utc("2026-01-01T00:00:00Z")
        #expect(FeedSource.dates(feed, firstFetch: true, fallback: fetched) == [Fixtures.utc("2016-02-01T16:54:50Z")])
        #expect(FeedSource.dates(feed, firstFetch: false, fallback: fetched) == [fetched], "an item new on a later fetch")
        var noFeedDate = feed
        noFeedDate.updated = nil
        noFeedDate.items = [feed.items[0], feed.items[0], FeedItem(id: "x", date: Fixtures.utc("2016-01-29T12:59:00Z"), enclosureTypes: [])]
        #expect(FeedSource.dates(noFeedDate, firstFetch: true, fallback: fetched)
                == Array(repeating: Fixtures.utc("2016-01-29T12:59:00Z"), count: 3), "no entry before: the next dated one")
    }

    // MARK: 4. XML faults feedparser forgives

    @Test func aNewlineBeforeTheXMLDeclarationIsForgiven() throws {
        let feed = try Self.real("prof18-feed-test-first-line-blank.xml")
        #expect(feed.title == "Inteligência artificial – Portal CNJ")
        #expect(feed.items.count == 1)
        #expect(feed.items[0].date == Fixtures.utc("2019-12-03T16:53:34Z"))
    }

    /// The TPM text (real) with the named HTML entities its site writes, without a DTD that would declare them.
    @Test func htmlEntitiesAreReadWithoutExpandingAnyDTD() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>All TPM News</title>
            <item><title>We&rsquo;re Hiring: Senior Editor&nbsp;&mdash; NYC</title><link>http://talkingpointsmemo.com/edblog/were-hiring-senior-editor</link>
            <description>Include the subject line: &ldquo;Job App: Senior Editor&rdquo;. &amp; caf&eacute; <![CDATA[ &nbsp;stays&nbsp; ]]></description></item>
            </channel></rss>
            """
        let feed = try FeedParser.parse(Data(xml.utf8), url: "http://talkingpointsmemo.com/feed")
        #expect(feed.items[0].title == "We’re Hiring: Senior Editor — NYC")
        #expect(feed.items[0].html == "Include the subject line: “Job App: Senior Editor”. & café  &nbsp;stays&nbsp;")
        // A bare `&` and an unknown name are text, as a browser shows them; a reference inside an attribute is
        // repaired too.
        let loose = """
            <rss version="2.0"><channel><title>Q&A: AT&T x &bogus; y &#8212; z</title>
            <link>http://x/?a=1&b=2</link><item><title>i</title></item></channel></rss>
            """
        let parsedLoose = try FeedParser.parse(Data(loose.utf8), url: "http://x/")
        #expect(parsedLoose.title == "Q&A: AT&T x &bogus; y — z")
        #expect(parsedLoose.link == "http://x/?a=1&b=2")
        // Still not a feed: markup that is broken otherwise.
        #expect(throws: SourceError.self) { try FeedParser.parse(Data("<rss><channel><title>x &amp y</channel>".utf8), url: "http://x/") }
        let secret = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-xxe-\(UUID().uuidString).txt")
        try Data("XXE-SECRET-MARKER".utf8).write(to: secret)
        defer { try? FileManager.default.removeItem(at: secret) }
        let external = """
            <?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "\(secret.absoluteString)">]>
            <rss version="2.0"><channel><title>t&nbsp;&secret;</title><item><title>i</title></item></channel></rss>
            """
        do {
            let parsed = try FeedParser.parse(Data(external.utf8), url: "http://x/")
            #expect(parsed.title?.contains("XXE-SECRET-MARKER") != true, "an external entity is never loaded")
        } catch {
            // Refusing the document is as safe as reading it without the entity.
        }
    }

    @Test func windows1251AndKOI8RFeeds() throws {
        let oren = try Self.real("nodefeedparser-iconv-windows-1251.xml")
        #expect(oren.title == "Новости Оренбурга и области / Раздел Новости")
        #expect(oren.items[0].title == "В Бузулуке главные стройплощадки – детсад и Ледовый дворец")
        #expect(oren.items[1].html == "Из-за чего теперь на них возбуждено уголовное дело &#40;видео&#41;")
        let koi = try Self.real("written-oren-koi8-r.xml")
        #expect(koi.items.map(\.title) == ["Два оренбуржца перевозили героин в автомобиле",
                                           "В Орске граждан эвакуировали с железнодорожного вокзала",
                                           "Вышла новая книга с изречениями Черномырдина",
                                           "Субсидии на оплату услуг ЖКХ получили почти 55 тысяч семей"])
    }

    // MARK: 5. link fallbacks

    @Test func aMissingOrEmptyLinkFallsBackToTheIdOrTheFeedLink() throws {
        // The RSS 2.0 specification's own sample: item 2 has a permalink guid and no link.
        let liftoff = try Self.real("nodefeedparser-rss2sample.xml")
        #expect(liftoff.items[1].link == "http://liftoff.msfc.nasa.gov/2003/05/30.html#item572")
        let xml = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>heise</title><link href="http://www.heise.de/developer/"/>
            <entry><id>http://heise.de/-3088438</id><title>WildFly 10</title><link rel="alternate" href=""/><updated>2016-02-01T17:54:50+01:00</updated></entry>
            <entry><id>tag:heise.de,2016:3088627</id><title>Scrum Day</title><link rel="alternate" href=" "/><updated>2016-02-01T14:29:00+01:00</updated></entry>
            </feed>
            """
        let feed = try FeedParser.parse(Data(xml.utf8), url: "http://www.heise.de/developer/rss/news-atom.xml")
        #expect(feed.items[0].link == "http://heise.de/-3088438", "the id, a URL")
        #expect(feed.items[1].link == "http://www.heise.de/developer/", "the feed's link: a tag: id is no address")
    }

    // MARK: 6. titles

    @Test func titlesAreTextWithoutTagsAndWithEntitiesDecoded() throws {
        let xml = """
            <rss version="2.0"><channel><title>Business Standard</title>
            <item><title>&lt;span class='webrupee'&gt;₹&lt;/span&gt;4,000 crore for the Ganga clean-up</title></item>
            <item><title><![CDATA[Neverwinter & Jingle Jam Humble Bundle!]]></title></item>
            </channel></rss>
            """
        let feed = try FeedParser.parse(Data(xml.utf8), url: "http://x/")
        #expect(feed.items.map(\.title) == ["₹4,000 crore for the Ganga clean-up", "Neverwinter & Jingle Jam Humble Bundle!"])
        #expect(try Self.real("nodefeedparser-title-with-angle-brackets.xml").items[0].title == "RSS <<< Title >>>")
        #expect(try Self.real("rssparser-heise.atom").items[0].title == "Java-Anwendungsserver: Red Hat gibt WildFly 10 frei")
    }

    // MARK: 7. Media RSS

    @Test func youTubesBodyIsItsMediaDescription() throws {
        let feed = try Self.real("prof18-atom-feed-youtube.xml")
        let html = try #require(feed.items[0].html)
        #expect(html.hasPrefix("Kotlin’s string interpolation has been a much-liked feature"))
        let post = FeedSource.post(feed.items[0], channel: "yt", fetchedAt: Date())
        #expect(post.text.hasPrefix("Multi-dollar String Interpolation in Kotlin | $$\n\nKotlin’s string interpolation"))
        #expect(post.text.contains("#kotlin #$ #coffee"))
    }
}
