import Foundation
import GazetteCore
import Testing
@testable import GazetteBot

/// Issue 26: a channel message is a post only when it has text, a caption or content a digest can name; any other
/// message kind, including kinds the Bot API adds later, is a service message and is not stored.
@Suite("Bot API channel post content")
struct ChannelPostContentTests {
    @Test(arguments: [
        (#"{"sticker": {"file_id": "s", "emoji": "😂", "width": 512, "height": 512}}"#, "Sticker 😂", "sticker"),
        (#"{"video_note": {"file_id": "v", "length": 240, "duration": 12}}"#, "Video message", "round_video"),
        (#"{"location": {"latitude": 55.75, "longitude": 37.61}}"#, "Location", "location"),
        (#"{"venue": {"location": {"latitude": 55.75, "longitude": 37.61}, "title": "Красная площадь", "address": "Москва"}}"#,
         "Place: Красная площадь, Москва", "location"),
        (#"{"story": {"chat": {"id": -1, "type": "channel"}, "id": 12}}"#, "Story", nil),
        (#"{"paid_media": {"star_count": 10, "paid_media": [{"type": "preview"}]}}"#, "Paid media", nil),
        (#"{"photo": [{"file_id": "x", "width": 90, "height": 90}]}"#, "Photo", "photo"),
        (#"{"voice": {"file_id": "v"}}"#, "Voice message", "voice"),
        (#"{"document": {"file_id": "d", "file_name": "report.pdf"}}"#, "Document: report.pdf", "document"),
        (#"{"dice": {"emoji": "🎲", "value": 4}}"#, "🎲 4", nil),
        (#"{"rich_message": {"blocks": [{"type": "section_heading", "text": "Итоги недели"}, {"type": "paragraph", "text": [{"type": "bold", "text": "Рынок"}, " вырос на 3,2%."]}]}}"#,
         "Итоги недели\nРынок вырос на 3,2%.", nil),
        (#"{"rich_message": {"blocks": [{"type": "divider"}]}}"#, "Rich message", nil),
    ] as [(String, String, String?)])
    func contentWithoutTextGetsALabel(fields: String, label: String, media: String?) throws {
        let message = try ChannelUpdates.decode(fields)
        #expect(message.isPost)
        #expect(!message.isServiceMessage)
        let post = ChannelPostIngestor.post(from: message, channelKey: "gazette_test_channel")
        #expect(post.text == label)
        if let media { #expect(post.media.map(\.kind).contains(media)) }
    }

    @Test(arguments: [
        #"{"gift": {"gift": {"id": "1", "star_count": 50}}}"#,
        #"{"unique_gift": {"gift": {"base_name": "Cap"}, "origin": "upgrade"}}"#,
        #"{"direct_message_price_changed": {"are_direct_messages_enabled": true, "direct_message_star_count": 5}}"#,
        #"{"some_service_field_of_bot_api_12": {"anything": [1, 2, 3]}}"#,
        #"{"text": ""}"#,
    ])
    func everyOtherKindIsAServiceMessage(fields: String) throws {
        let message = try ChannelUpdates.decode(fields)
        #expect(!message.isPost)
        #expect(message.isServiceMessage)
    }

    @Test func labelledPostsAreStoredAndServiceMessagesAreNot() async throws {
        try await BotHarness.with() { h in
            try await h.api.state.push(updatesJSON: Fixtures.data("getUpdates_my_chat_member_admin.json"))
            let updates: [[String: Any]] = [
                ChannelUpdates.post(873_216_001, messageID: 301, ["sticker": ["file_id": "s", "emoji": "🔥", "width": 512, "height": 512]]),
                ChannelUpdates.post(873_216_002, messageID: 302, ["gift": ["gift": ["id": "1", "star_count": 50]]]),
                ChannelUpdates.post(873_216_003, messageID: 303, ["location": ["latitude": 55.75, "longitude": 37.61]]),
                ChannelUpdates.post(873_216_004, messageID: 304, ["unique_gift": ["origin": "upgrade"]]),
                ChannelUpdates.post(873_216_005, messageID: 305, ["text": "Первый выпуск: рынок вырос на 3,2%."]),
            ]
            for update in updates { try await h.push(update) }
            try await h.poll(until: "channel updates handled") { await h.handled(through: 873_216_005) }
            let channel = try #require(try await h.store.channel(ref: .telegram(username: "gazette_test_channel")))
            let stored = try await h.store.posts(channelID: channel.id, since: .distantPast, until: .distantFuture, limit: 50)
            #expect(stored.sorted { $0.messageID < $1.messageID }.map(\.text) == ["Sticker 🔥", "Location", "Первый выпуск: рынок вырос на 3,2%."])
            #expect(stored.allSatisfy { !$0.text.isEmpty }, "never an empty story")
        }
    }

    /// A button pressed on a message the bot can no longer reach: the Bot API sends an InaccessibleMessage (date 0),
    /// which cannot be edited; the menu comes as a new message.
    @Test func aButtonOnAnInaccessibleMessageGetsAFreshMenu() async throws {
        try await BotHarness.with() { h in
            try await h.push(["update_id": 1, "callback_query": [
                "id": "cb1", "chat_instance": "-5829182736450123456", "data": "menu",
                "from": ["id": Updates.userID, "is_bot": false, "first_name": "Иван"],
                "message": ["message_id": 5, "date": 0, "chat": ["id": Updates.userID, "type": "private", "first_name": "Иван"]],
            ] as [String: Any]])
            try await h.poll(until: "a fresh menu") { await h.api.state.calls("sendMessage").count == 1 }
            #expect(await h.api.state.calls("editMessageText").isEmpty, "no edit of a message the bot cannot reach")
            #expect(await h.api.state.calls("sendMessage")[0].text == Screens.menuText)
            #expect(await h.api.state.calls("answerCallbackQuery").count == 1)
        }
    }
}
