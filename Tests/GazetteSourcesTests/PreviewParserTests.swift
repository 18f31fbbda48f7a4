import Foundation
import GazetteCore
@testable import GazetteSources
import Testing

@Suite("t.me preview parser")
struct PreviewParserTests {
    let base = URL(string: "https://t.me")!

    func page(_ file: String, channel: String) throws -> PreviewPage {
        let content = try TelegramPreviewParser.parse(Fixtures.data("telegram-preview/\(file)"), channel: channel, baseURL: base)
        guard case .channel(let page) = content else {
            Issue.record("expected a channel page, got \(content)")
            throw CancellationError()
        }
        return page
    }

    @Test func fullPageIDsDatesViewsAndCursor() throws {
        let p = try page("full.html", channel: "topwar_official")
        #expect(p.posts.map(\.messageID) == [70989, 70990, 70992, 70995, 70996, 70997, 70998, 70999, 71000, 71006, 71007, 71008])
        #expect(p.before == 70989)
        #expect(p.messageBlocks == 12)
        #expect(p.posts.allSatisfy { $0.channel == "topwar_official" })
        #expect(p.posts.first?.date == Fixtures.utc("2023-02-28T07:47:53Z"))
        #expect(p.posts.last?.date == Fixtures.utc("2023-02-28T13:14:03Z"))
        #expect(p.posts.map(\.views) == [37200, 34500, 33800, 33600, 32900, 30300, 29000, 28700, 28700, 17200, 16800, 14900])
        #expect(p.posts[0].url == "https://t.me/topwar_official/70989")
        let text70990 = p.posts.first { $0.messageID == 70990 }?.text
        #expect(text70990 == "Власти Петербурга подтвердили, что аэропорт Пулково временно не принимает самолеты.")
    }

    @Test func fullPageHeaderMetadata() throws {
        let meta = try #require(try page("full.html", channel: "topwar_official").metadata)
        #expect(meta.title == "Военное обозрение")
        #expect(meta.subscribers == 109_000)
        #expect(meta.photoURL?.hasPrefix("https://cdn4.telegram-cdn.org/file/") == true)
        #expect(meta.description?.hasPrefix("Официальный канал сайта topwar.ru\n\nДля обратной связи: @topwar_feedlback_bot") == true)
    }

    @Test func fullPageForwardsAlbumsAndLinkPreview() throws {
        let posts = Dictionary(uniqueKeysWithValues: try page("full.html", channel: "topwar_official").posts.map { ($0.messageID, $0) })
        let forwarded = posts.values.filter { $0.forwardedFrom != nil }.map(\.messageID).sorted()
        #expect(forwarded == [70996, 70998, 71006, 71007, 71008])
        #expect(posts[70996]?.forwardedFrom == "Военкор Ярем")
        #expect(posts[70998]?.forwardedFrom == "БелВПО")
        #expect(posts[71006]?.forwardedFrom == "Старше Эдды")
        #expect(posts[70996]?.linkPreviewTitle == "Милитарист")
        #expect(posts.values.filter { $0.linkPreviewTitle != nil }.count == 1)
        #expect(posts[70992]?.media == [MediaSummary(kind: "photo", count: 2), MediaSummary(kind: "video", count: 1)])
        #expect(posts[71000]?.media == [MediaSummary(kind: "photo", count: 6)])
        #expect(posts[71000]?.text == "Последствия ночного удара БПЛА-камикадзе ВСУ по нефтебазе в Туапсе сегодня ночью.")
        #expect(posts[70989]?.media == [MediaSummary(kind: "photo", count: 1)])
        #expect(posts[71008]?.media == [MediaSummary(kind: "video", count: 1)])
        #expect(posts[70990]?.media == [])
        let longest = try #require(posts.values.max { $0.text.count < $1.text.count })
        #expect(longest.messageID == 71007)
        #expect((1200...1400).contains(longest.text.count))
    }

    @Test func linksAreKeptInHTMLAndNotInText() throws {
        let post = try #require(try page("full.html", channel: "topwar_official").posts.first { $0.messageID == 70996 })
        let html = try #require(post.html)
        #expect(html.contains("<a href=\"https://t.me/infantmilitario/93419\">на расстояние 180 метров</a>"))
        #expect(!html.contains("onclick"))
        #expect(post.text.contains("на расстояние 180 метров, пока"))
        #expect(post.text.contains("\n\nКроме этого"))
    }

    @Test func textPostKeepsLineBreaksAndBold() throws {
        let post = try #require(try page("message_text.html", channel: "topwar_official").posts.first)
        #expect(post.messageID == 70991)
        #expect(post.date == Fixtures.utc("2023-02-28T08:48:01Z"))
        #expect(post.views == 33_400)
        #expect(post.text.hasPrefix("Неопознанный летающий объект замечен в 160 – 200 км от Петербурга\n\nПо данным «Фонтанки», "))
        #expect(post.media.isEmpty)
        #expect(post.html?.hasPrefix("<b>Неопознанный летающий объект") == true)
        // The README's 601 characters count the text with whitespace collapsed and <br> as a line break.
        #expect(post.text.count == 601)
    }

    @Test func linkPreviewPost() throws {
        let post = try #require(try page("message_link_preview.html", channel: "oper_goblin").posts.first)
        #expect(post.messageID == 22360)
        #expect(post.views == 226_200)
        #expect(post.date == Fixtures.utc("2023-02-27T07:33:14Z"))
        #expect(post.text == "https://vnnews.ru/georgiy-zotov-okkupaciya-volosatym-kr/")
        #expect(post.linkPreviewTitle == "Георгий Зотов: ОККУПАЦИЯ ВОЛОСАТЫМ КРАБОМ")
    }

    @Test func albumPostWithHashtags() throws {
        let post = try #require(try page("message_media_photo_and_video.html", channel: "anna_news").posts.first)
        #expect(post.messageID == 46908)
        #expect(post.views == 59_500)
        #expect(post.media == [MediaSummary(kind: "photo", count: 2), MediaSummary(kind: "video", count: 1)])
        #expect(post.text.hasPrefix("Ночью над Белгородом сбили 3 беспилотника"))
        // Relative hashtag links are resolved against the base URL.
        #expect(post.html?.contains("href=\"https://t.me/?q=%23") == true || post.html?.contains("href=\"https://t.me?q=%23") == true)
    }

    @Test func pollPost() throws {
        let post = try #require(try page("message_poll.html", channel: "it_begin").posts.first)
        #expect(post.messageID == 488)
        #expect(post.views == 1_100)
        #expect(post.date == Fixtures.utc("2023-02-27T16:21:02Z"))
        #expect(post.media == [MediaSummary(kind: "poll", count: 1)])
        #expect(post.text == "📊 Как лучше? (Anonymous Poll)\n• Несколько постов в день — 16%\n• Один пост в несколько дней — 83%\n• Свой вариант в комментарии — 3%")
    }

    @Test func forwardedPost() throws {
        let post = try #require(try page("message_media_forwarded_from.html", channel: "oper_goblin").posts.first)
        #expect(post.messageID == 22358)
        #expect(post.views == 214_400)
        #expect(post.forwardedFrom == "Пул N3")
        #expect(post.media == [MediaSummary(kind: "photo", count: 1)])
        #expect(post.text == "Британская разведка выяснила, почему Ким Чен Ын начал выводить дочку в свет")
    }

    @Test(arguments: [("37.2K", 37200), ("29.0K", 29000), ("746", 746), ("1.1M", 1_100_000), ("109K", 109_000), ("1 234", 1234)])
    func compactCounts(raw: String, value: Int) {
        #expect(TextNormalizer.compactCount(raw) == value)
    }

    @Test(arguments: ["", "K", "abc", "-5", "1.2.3K", "∞"])
    func badCountsAreNil(raw: String) {
        #expect(TextNormalizer.compactCount(raw) == nil)
    }

    @Test func truncatedPageKeepsTheCompletePosts() throws {
        let full = try Fixtures.data("telegram-preview/full.html")
        // Cut inside the 7th post: the parser recovers and reads what is there; nothing crashes.
        let cut = full.prefix(full.count * 6 / 10)
        let content = try TelegramPreviewParser.parse(Data(cut), channel: "topwar_official", baseURL: base)
        guard case .channel(let page) = content else { Issue.record("expected a channel page"); return }
        #expect(page.posts.count >= 5)
        #expect(page.posts.count < 12)
        #expect(page.posts.map(\.messageID) == page.posts.map(\.messageID).sorted())
    }

    @Test(arguments: ["<html><body><p>Hello</p></body></html>", "garbage \u{0}\u{1} <<<>>>", "{\"json\": true}",
                      String(repeating: "<div>", count: 5000)])
    func unrecognisedPagesAreLayoutErrors(body: String) {
        #expect {
            _ = try TelegramPreviewParser.parse(Data(body.utf8), channel: "durov", baseURL: base)
        } throws: { error in
            (error as? SourceError)?.errorType.rawValue == "layout_changed"
        }
    }

    @Test func emptyBodyIsALayoutError() {
        #expect(throws: SourceError.self) { try TelegramPreviewParser.parse(Data(), channel: "durov", baseURL: base) }
    }

    @Test func messageBlocksWithoutDatesAreALayoutChange() {
        let html = #"<section class="tgme_channel_history"><div class="tgme_widget_message" data-post="durov/1">hi</div></section>"#
        #expect {
            _ = try TelegramPreviewParser.parse(Data(html.utf8), channel: "durov", baseURL: base)
        } throws: { error in
            guard case .layoutChanged(_, let detail) = error as? SourceError else { return false }
            return detail.contains("1 message blocks")
        }
    }

    @Test func contactPagesTellMissingFromNoPreview() throws {
        let noPreview = #"<html><body><div class="tgme_page"><div class="tgme_page_title"><span>Some Group</span></div></div></body></html>"#
        let missing = #"<html><body><div class="tgme_page"><div class="tgme_page_description">If you have Telegram, you can contact @nobody</div></div></body></html>"#
        #expect(try TelegramPreviewParser.parse(Data(noPreview.utf8), channel: "somegroup", baseURL: base) == .noPublicPreview(title: "Some Group"))
        #expect(try TelegramPreviewParser.parse(Data(missing.utf8), channel: "nobody", baseURL: base) == .notFound)
    }

    @Test func emptyChannelHasNoPostsAndNoError() throws {
        let html = #"<html><body><div class="tgme_channel_info"><div class="tgme_channel_info_header_title">Empty</div></div><section class="tgme_channel_history"></section></body></html>"#
        let content = try TelegramPreviewParser.parse(Data(html.utf8), channel: "emptychan", baseURL: base)
        guard case .channel(let page) = content else { Issue.record("expected a channel page"); return }
        #expect(page.posts.isEmpty)
        #expect(page.metadata?.title == "Empty")
    }
}
