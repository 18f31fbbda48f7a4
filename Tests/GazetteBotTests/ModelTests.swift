import Foundation
import Testing
@testable import GazetteBot

@Suite("Bot API models, callback data and HTML")
struct ModelTests {
    struct Envelope<T: Decodable>: Decodable { var result: T }

    @Test func fixturesDecode() throws {
        let posts = try JSONDecoder().decode(Envelope<[Update]>.self, from: Fixtures.data("getUpdates_channel_posts.json")).result
        #expect(posts.map(\.updateID) == [873_215_001, 873_215_002, 873_215_003])
        #expect(posts[0].channelPost?.entities?.first == MessageEntity(type: "bold", offset: 3, length: 12))
        #expect(posts[1].channelPost?.photo?.count == 3)
        #expect(posts[2].editedChannelPost?.editDate == 1_715_933_700)
        let callbacks = try JSONDecoder().decode(Envelope<[Update]>.self, from: Fixtures.data("getUpdates_callback_query.json")).result
        #expect(callbacks.map { $0.callbackQuery?.data } == ["digest", "channel:42"])
        #expect(callbacks[0].callbackQuery?.id == "530298437412345601")
        let member = try JSONDecoder().decode(Envelope<[Update]>.self, from: Fixtures.data("getUpdates_my_chat_member_admin.json")).result
        #expect(member[0].myChatMember?.newChatMember.status == "administrator")
        let me = try JSONDecoder().decode(Envelope<User>.self, from: Fixtures.data("getMe_ok.json")).result
        #expect(me.username == "gazette_digest_bot")
    }

    @Test(arguments: [
        CallbackAction.menu, .channels(page: 3), .channel(id: 42), .askUnsubscribe(id: 42), .confirmUnsubscribe(id: 42),
        .subscribe, .cancel, .digest(hours: 24), .digest(hours: 72), .settings, .toggleDaily, .chooseHour, .setHour(0),
        .setHour(23), .chooseTimeZone, .setTimeZone("Europe/Berlin"), .toggleFormat, .cycleLanguage, .toggleAds,
        .askFilter(.include), .askFilter(.exclude), .askFilter(.mute), .clearFilters, .toggleDestination(.telegram),
        .toggleDestination(.email), .toggleDestination(.feed),
    ])
    func callbackDataRoundTrips(_ action: CallbackAction) {
        #expect(CallbackAction.parse(action.data) == action)
        #expect(action.data.utf8.count <= 64)
    }

    @Test(arguments: ["", "channel:", "channel:-1", "channel:abc", "unsubscribe:0", "digest:5", "set:hour:24", "set:tz:99",
                      "menu:1", String(repeating: "a", count: 65), "channel:42:1", "set:bogus", "filter:no_ads", "filter:x", "dest:pigeon", "dest"])
    func invalidCallbackDataIsRefused(_ data: String) {
        #expect(CallbackAction.parse(data) == nil)
    }

    @Test func htmlEscapingAndEntities() {
        #expect(HTML.escape("<b>Tom & \"Jerry\"</b>") == "&lt;b&gt;Tom &amp; &quot;Jerry&quot;&lt;/b&gt;")
        let text = "📈 Итоги <недели>"
        let html = EntityHTML.render(text, entities: [MessageEntity(type: "bold", offset: 3, length: 5),
                                                      MessageEntity(type: "text_link", offset: 0, length: 2, url: "javascript:alert(1)")])
        #expect(html == "📈 <b>Итоги</b> &lt;недели&gt;", "unsafe links dropped, offsets in UTF-16")
        let crossing = EntityHTML.render("abcdef", entities: [MessageEntity(type: "bold", offset: 0, length: 4),
                                                              MessageEntity(type: "italic", offset: 2, length: 4)])
        #expect(crossing == "<b>abcd</b>ef", "crossing entities are dropped, never broken markup")
        let nested = EntityHTML.render("abcdef", entities: [MessageEntity(type: "bold", offset: 0, length: 6),
                                                            MessageEntity(type: "italic", offset: 2, length: 2)])
        #expect(nested == "<b>ab<i>cd</i>ef</b>")
    }

    @Test func commandsParse() {
        #expect(BotCommandText.parse("/digest 48", botUsername: "gazette_digest_bot") == BotCommandText(name: .digest, raw: "digest", argument: "48"))
        #expect(BotCommandText.parse("/Start@Gazette_Digest_Bot", botUsername: "gazette_digest_bot")?.name == .start)
        #expect(BotCommandText.parse("/start@other_bot", botUsername: "gazette_digest_bot") == nil)
        #expect(BotCommandText.parse("hello", botUsername: nil) == nil)
        #expect(BotCommandText.parse("/whatever", botUsername: nil)?.name == nil)
    }

    @Test func splitterKeepsParagraphs() {
        let text = (1...50).map { "Paragraph \($0) " + String(repeating: "x", count: 300) }.joined(separator: "\n\n")
        let parts = MessageSplitter.split(text, limit: 1000)
        #expect(parts.allSatisfy { $0.utf16.count <= 1000 })
        #expect(parts.joined(separator: "\n\n") == text)
        let word = String(repeating: "😀", count: 3000)
        #expect(MessageSplitter.split(word, limit: 4096).allSatisfy { $0.utf16.count <= 4096 })
    }
}
