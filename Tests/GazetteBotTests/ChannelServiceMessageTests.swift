import Foundation
import GazetteCore
import Testing
@testable import GazetteBot

/// `channel_post` updates that only report an event (channel created, renamed, new photo, a pin…) are not stored.
@Suite("Bot API channel service messages")
struct ChannelServiceMessageTests {
    @Test func serviceMessagesAreNotStoredAndTheRealPostsAre() async throws {
        try await BotHarness.with() { h in
            try await h.api.state.push(updatesJSON: Fixtures.data("getUpdates_my_chat_member_admin.json"))
            let renamed = "Gazette Weekly 📰"
            let updates: [[String: Any]] = [
                ChannelUpdates.post(873_215_101, messageID: 201, ["channel_chat_created": true]),
                ChannelUpdates.post(873_215_102, messageID: 202, ["text": "Первый выпуск: рынок вырос на 3,2%."]),
                ChannelUpdates.post(873_215_103, messageID: 203, title: renamed, ["new_chat_title": renamed]),
                ChannelUpdates.post(873_215_104, messageID: 204, title: renamed, ["new_chat_photo": ChannelUpdates.photo("NewChatPhoto")]),
                // The pinned message arrives whole, text included; it is still the pin event, not a post.
                ChannelUpdates.post(873_215_105, messageID: 205, title: renamed, ["pinned_message": [
                    "message_id": 202, "date": ChannelUpdates.baseDate + 60, "text": "Первый выпуск: рынок вырос на 3,2%.",
                    "chat": ChannelUpdates.chat(title: renamed),
                ] as [String: Any]]),
                ChannelUpdates.post(873_215_106, messageID: 206, title: renamed, ["photo": ChannelUpdates.photo("PostPhoto")]),
                ChannelUpdates.post(873_215_107, messageID: 207, title: renamed, ["delete_chat_photo": true]),
                ChannelUpdates.post(873_215_108, messageID: 208, title: renamed, ["video_chat_started": [String: Any]()]),
                ChannelUpdates.post(873_215_109, messageID: 209, title: renamed,
                                    ["message_auto_delete_timer_changed": ["message_auto_delete_time": 86_400]]),
            ]
            for update in updates { try await h.push(update) }
            try await h.poll(until: "all channel updates handled") { await h.handled(through: 873_215_109) }

            let channel = try #require(try await h.store.channel(ref: .telegram(username: "gazette_test_channel")))
            #expect(channel.metadata.title == renamed, "the rename still updates the channel's title")
            let window = (since: Date(timeIntervalSince1970: 1_715_900_000), until: Date(timeIntervalSince1970: 1_716_000_000))
            let stored = try await h.store.posts(channelID: channel.id, since: window.since, until: window.until, limit: 50)
            #expect(stored.map(\.messageID).sorted() == [202, 206])
            #expect(stored.first { $0.messageID == 206 }?.media.map(\.kind) == ["photo"], "a photo without a caption is a post")

            // What a digest and get_posts_from_db read: the user's channels with their posts.
            let forUser = try await h.store.posts(forUser: Updates.userID, since: window.since, until: window.until,
                                                  limits: WindowLimits())
            #expect(forUser.map(\.channel.key) == ["gazette_test_channel"])
            #expect(forUser.first?.posts.count == 2)
            #expect(forUser.flatMap(\.posts).map(\.messageID).sorted() == [202, 206])
            #expect(h.metric(#"bot_updates_total{kind="channel_post"}"#) == 9, "every update was received and handled")
        }
    }

    @Test(arguments: [
        (#"{"channel_chat_created": true}"#, "channel_chat_created"),
        (#"{"new_chat_title": "Renamed"}"#, "new_chat_title"),
        (#"{"new_chat_photo": [{"file_id": "x", "width": 90, "height": 90}]}"#, "new_chat_photo"),
        (#"{"delete_chat_photo": true}"#, "delete_chat_photo"),
        (#"{"pinned_message": {"message_id": 7, "date": 0, "chat": {"id": -1, "type": "channel"}, "text": "hi"}}"#, "pinned_message"),
        (#"{"message_auto_delete_timer_changed": {"message_auto_delete_time": 86400}}"#, "message_auto_delete_timer_changed"),
        (#"{"video_chat_scheduled": {"start_date": 1715940000}}"#, "video_chat_scheduled"),
        (#"{"video_chat_started": {}}"#, "video_chat_started"),
        (#"{"video_chat_ended": {"duration": 600}}"#, "video_chat_ended"),
        (#"{"video_chat_participants_invited": {"users": []}}"#, "video_chat_participants_invited"),
        (#"{"chat_background_set": {"type": {"type": "fill"}}}"#, "chat_background_set"),
        (#"{"giveaway_created": {}}"#, "giveaway_created"),
        (#"{"giveaway_completed": {"winner_count": 3}}"#, "giveaway_completed"),
    ])
    func serviceFieldsAreRecognised(fields: String, name: String) throws {
        let message = try ChannelUpdates.decode(fields)
        #expect(message.serviceField == name)
        #expect(message.isServiceMessage)
    }

    @Test(arguments: [
        #"{"text": "An ordinary post"}"#,
        #"{"photo": [{"file_id": "x", "width": 90, "height": 90}]}"#,
        #"{"caption": "With a caption", "video": {"file_id": "v"}}"#,
        #"{"poll": {"question": "Which one?"}}"#,
        // A service field beside real content: the content wins, nothing is lost.
        #"{"new_chat_title": "Renamed", "text": "We have a new name"}"#,
    ])
    func messagesWithContentAreNotServiceMessages(fields: String) throws {
        #expect(try !ChannelUpdates.decode(fields).isServiceMessage)
    }
}

/// Builders of `channel_post` updates for the fixture channel (`@gazette_test_channel`, see `Tests/Fixtures/botapi`).
enum ChannelUpdates {
    static let chatID: Int64 = -1_001_234_567_890
    static let baseDate: Int64 = 1_715_932_800

    static func chat(title: String) -> [String: Any] {
        ["id": chatID, "title": title, "username": "gazette_test_channel", "type": "channel"]
    }

    static func post(_ updateID: Int64, messageID: Int64, title: String = "Gazette Test Channel 📰",
                     _ fields: [String: Any]) -> [String: Any] {
        var message: [String: Any] = ["message_id": messageID, "date": baseDate + (messageID - 200) * 60,
                                      "chat": chat(title: title), "sender_chat": chat(title: title)]
        message.merge(fields) { $1 }
        return ["update_id": updateID, "channel_post": message]
    }

    static func photo(_ name: String) -> [[String: Any]] {
        [["file_id": "\(name)Small", "file_unique_id": "\(name)S", "width": 90, "height": 90],
         ["file_id": "\(name)Large", "file_unique_id": "\(name)L", "width": 640, "height": 640]]
    }

    /// A channel message with the base fields and `fields` (a JSON object's members) decoded as the bot decodes it.
    static func decode(_ fields: String) throws -> Message {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(fields.utf8)) as? [String: Any])
        let update = post(1, messageID: 201, object)
        let data = try JSONSerialization.data(withJSONObject: update)
        return try #require(try JSONDecoder().decode(Update.self, from: data).channelPost)
    }
}
