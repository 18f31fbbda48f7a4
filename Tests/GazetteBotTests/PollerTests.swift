import NIOCore
import Foundation
import GazetteCore
import GazetteTestSupport
import Testing
@testable import GazetteBot

@Suite("Long polling, offsets and Bot API channel posts")
struct PollerTests {
    @Test func restartDoesNotHandleUpdatesTwice() async throws {
        let api = try await FakeBotAPI.start(token: BotHarness.token)
        let first = try await BotHarness.make(api: api)
        try await api.state.push(updatesJSON: Fixtures.data("getUpdates_private_commands.json"))
        try await first.poll(until: "all four handled") { await first.handled(through: 873_215_013) }
        let answered = await api.state.calls("sendMessage").count
        #expect(answered == 4)
        #expect(try await first.store.stateValue(UpdatePoller.offsetKey) == "873215014")
        let getUpdates = try #require(await api.state.calls("getUpdates").first)
        #expect(getUpdates.fields["allowed_updates"]?.contains("callback_query") == true)
        #expect(getUpdates.fields["allowed_updates"]?.contains("channel_post") == true)
        await first.shutdown(removeFiles: false, stopAPI: false)

        // A new process on the same database: the fake server still offers the old updates (as Telegram does when
        // they were never confirmed); the stored offset keeps them from being handled again.
        try await BotHarness.with(directory: first.directory, api: api) { second in
            let polls = await api.state.calls("getUpdates").count
            try await second.poll(until: "a poll after restart") { await api.state.calls("getUpdates").count >= polls + 2 }
            #expect(await api.state.calls("getUpdates")[polls].fields["offset"] == "873215014")
            #expect(await api.state.calls("sendMessage").count == answered, "nothing answered twice")
        }
    }

    @Test func channelPostsAreStoredWithEntitiesAndEditsReplaceTheText() async throws {
        try await BotHarness.with() { h in
            try await h.api.state.push(updatesJSON: Fixtures.data("getUpdates_my_chat_member_admin.json"))
            try await h.api.state.push(updatesJSON: Fixtures.data("getUpdates_channel_posts.json"))
            try await h.poll(until: "posts handled") { await h.handled(through: 873_215_003) }
            let channel = try #require(try await h.store.channel(ref: .telegram(username: "gazette_test_channel")))
            #expect(channel.metadata.title == "Gazette Test Channel 📰")
            let posts = try await h.store.posts(channelID: channel.id, since: Date(timeIntervalSince1970: 1_715_900_000),
                                                until: Date(timeIntervalSince1970: 1_716_000_000), limit: 10)
            #expect(posts.map(\.messageID).sorted() == [101, 102])
            let edited = try #require(posts.first { $0.messageID == 101 })
            #expect(edited.text.contains("3,4%"), "the edit replaced the text")
            let html = try #require(edited.html)
            #expect(html.contains("<b>Итоги недели</b>"), "UTF-16 offsets: the bold starts after the 📈")
            #expect(html.contains("<a href=\"https://example.com/blog/weekly-20\">в блоге</a>"))
            #expect(html.contains("<i>(исправлено)</i>"))
            #expect(edited.url == "https://t.me/gazette_test_channel/101")
            let photo = try #require(posts.first { $0.messageID == 102 })
            #expect(photo.media.map(\.kind) == ["photo"])
            #expect(photo.html?.contains("<a href=\"https://example.org/launch\">https://example.org/launch</a>") == true)
            // The administrator who added the bot is subscribed to the channel.
            let subs = try await h.store.subscriptions(userID: Updates.userID, limit: 10)
            #expect(subs.map(\.channel.key) == ["gazette_test_channel"])
        }
    }

    @Test func batchesAreGroupedByChatKeepingOrder() throws {
        let a1 = Update(updateID: 1, message: Message(messageID: 1, chat: Chat(id: 10, type: "private"), date: 0, text: "/start"))
        let b1 = Update(updateID: 2, message: Message(messageID: 2, chat: Chat(id: 20, type: "private"), date: 0, text: "/digest"))
        let a2 = Update(updateID: 3, callbackQuery: CallbackQuery(id: "x", from: User(id: 10, firstName: "A"),
                                                                  message: Message(messageID: 3, chat: Chat(id: 10, type: "private"), date: 0),
                                                                  data: "menu"))
        let groups = UpdatePoller.byChat([a1, b1, a2])
        #expect(groups.map { $0.map(\.updateID) } == [[1, 3], [2]])
    }

    @Test func privateChannelsAreKeyedByChatID() {
        #expect(ChannelPostIngestor.ref(for: Chat(id: -100_42, type: "channel", title: "Secret")) == .botapi(chatID: -100_42))
        #expect(ChannelPostIngestor.ref(for: Chat(id: -1, type: "channel", username: "Gazette_Test_Channel")) == .telegram(username: "gazette_test_channel"))
    }

    @Test func unauthorizedTokenStopsThePollerWithAClearMessage() async throws {
        let api = try await FakeBotAPI.start(token: "999:other-token")
        try await BotHarness.with(api: api) { h in
            await #expect(throws: BotAPIError.unauthorized) { try await h.runtime.poller.poll() }
            #expect(BotAPIError.unauthorized.description.contains("TELEGRAM_BOT_TOKEN"))
            #expect(h.logs.all.contains { $0.contains("rejected the bot token") })
        }
    }

    @Test func conflictIsReportedAndRetriedWithBackoffNotABusyLoop() async throws {
        let clock = ManualClock(advancesOnSleep: true)
        try await BotHarness.with(clock: clock) { h in
            for _ in 0..<4 { await h.api.state.fail("getUpdates", status: 409, body: Fixtures.text("error_409_conflict_getupdates.json")) }
            try await h.poll(until: "four conflicts then a poll") { await h.api.state.calls("getUpdates").count >= 5 }
            let pauses = clock.sleeps.prefix(4)
            #expect(pauses.count == 4)
            #expect(zip(pauses, pauses.dropFirst()).allSatisfy { $1 > $0 }, "backoff grows: \(Array(pauses))")
            #expect(h.logs.all.contains { $0.contains("another process is already receiving this bot's updates") })
        }
    }

    @Test func networkErrorsBackOff() async throws {
        let clock = ManualClock(advancesOnSleep: true)
        let api = FakeBotAPI.unreachable(token: BotHarness.token)
        try await BotHarness.with(clock: clock, api: api) { h in
            // A refused connection is retried inside the HTTP client until the request times out; keep that short here.
            var client = h.runtime.api
            client.requestTimeout = TimeAmount.milliseconds(200)
            let poller = UpdatePoller(api: client, store: h.store, handler: h.runtime.handler, clock: clock, logger: h.logs.logger())
            let task = Task { try await poller.poll() }
            try await eventually(60, "several retries") { clock.sleeps.count >= 5 }
            task.cancel()
            _ = await task.result
            let pauses = clock.sleeps.prefix(5)
            #expect(pauses.allSatisfy { $0 >= 0.9 }, "never a busy loop: \(Array(pauses))")
            #expect(pauses.last! > pauses.first!)
        }
    }
}
