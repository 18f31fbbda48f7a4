import Foundation
import GazetteCore
import Testing
@testable import GazetteBot

@Suite("Commands and menus against a fake Bot API")
struct ConversationTests {
    let user = Updates.userID

    @Test func startHelpMenuAndUnknownCommand() async throws {
        try await BotHarness.with() { h in
            try await h.api.state.push(updatesJSON: Fixtures.data("getUpdates_private_commands.json"))
            try await h.push(Updates.text(900_000_001, "/help"))
            try await h.push(Updates.text(900_000_002, "/menu@gazette_digest_bot"))
            try await h.push(Updates.text(900_000_003, "/frobnicate"))
            try await h.push(Updates.text(900_000_004, "/menu@some_other_bot"))
            try await h.poll(until: "answers") { await h.api.state.calls("sendMessage").count >= 7 }
            let sent = await h.api.state.calls("sendMessage")
            #expect(sent.allSatisfy { $0.chatID == user })
            let texts = sent.compactMap(\.text)
            #expect(texts.contains { $0.contains("Hello, Иван") }, "welcome greets by first name")
            #expect(sent.first { $0.text?.contains("Hello") == true }?.fields["reply_markup"]?.contains("\"callback_data\":\"digest\"") == true)
            #expect(texts.contains { $0.contains("/subscribe") && $0.contains("/digest") }, "help lists the commands")
            #expect(texts.contains { $0.contains("I don't know /frobnicate") })
            // The fixture's "/subscribe @durov" subscribed; "hello" (not a command, no menu state) did not.
            let subs = try await h.store.subscriptions(userID: user, limit: 10)
            #expect(subs.map(\.channel.key) == ["durov"])
            #expect(texts.contains { $0.contains("Subscribed to") && $0.contains("@durov") })
            // The fixture's "/digest" with no posts answers politely.
            #expect(texts.contains("No new posts in the last 24 hours."))
            // A command for another bot is ignored: exactly one menu answer for "/menu@gazette_digest_bot".
            #expect(texts.filter { $0 == Screens.menuText }.count == 1)
            #expect(sent.allSatisfy { ($0.text?.utf16.count ?? 0) <= 4096 })
        }
    }

    @Test func subscribeFlowAcceptsNamesLinksAndForwardsButNotWords() async throws {
        try await BotHarness.with() { h in
            try await h.push(Updates.callback(1, data: "subscribe"))
            try await h.poll(until: "ask for a channel") { await h.api.state.calls("editMessageText").count == 1 }
            #expect(await h.api.state.calls("editMessageText")[0].text?.contains("Send me the channel") == true)

            try await h.push(Updates.text(2, "hello"))
            try await h.push(Updates.text(3, "durov"))
            try await h.push(Updates.text(4, "@x"))
            try await h.poll(until: "three refusals") { await h.api.state.calls("sendMessage").count == 3 }
            #expect(try await h.store.subscriptions(userID: user, limit: 10).isEmpty, "a bare word never becomes a subscription")
            let refusals = await h.api.state.calls("sendMessage").compactMap(\.text)
            #expect(refusals[0].contains("That is not a channel"))
            #expect(refusals[1].contains("That is not a channel"))
            #expect(refusals[2].contains("5–32 characters"), "an invalid @name says why")

            try await h.push(Updates.text(5, "https://t.me/s/Durov"))
            try await h.poll(until: "subscribed by link") { try await h.store.subscriptions(userID: user, limit: 10).count == 1 }
            try await h.push(Updates.text(6, "after the subscription this is a plain word"))
            try await h.push(Updates.forwarded(7, fromChannel: "gazette_test_channel", title: "Gazette Test Channel 📰"))
            try await h.push(Updates.forwarded(8, fromChannel: nil, title: "Private <club>"))
            try await h.poll(until: "forward handled") { await h.api.state.calls("sendMessage").count == 7 }
            let keys = try await h.store.subscriptions(userID: user, limit: 10).map(\.channel.key).sorted()
            #expect(keys == ["durov", "gazette_test_channel"])
            let last = await h.api.state.calls("sendMessage").last?.text ?? ""
            #expect(last.contains("Private &lt;club&gt;"), "channel titles are HTML-escaped")
            #expect(last.contains("administrator"))
        }
    }

    @Test func subscribeAndUnsubscribeCommands() async throws {
        try await BotHarness.with() { h in
            try await h.push(Updates.text(1, "/subscribe t.me/durov"))
            try await h.push(Updates.text(2, "/subscribe durov"))
            try await h.push(Updates.text(3, "/subscribe https://t.me/+AbCdEfGhIjKl"))
            try await h.push(Updates.text(4, "/unsubscribe @nobody_here"))
            try await h.push(Updates.text(5, "/unsubscribe @durov"))
            try await h.push(Updates.text(6, "/channels"))
            try await h.poll(until: "answers") { await h.api.state.calls("sendMessage").count == 6 }
            let texts = await h.api.state.calls("sendMessage").compactMap(\.text)
            #expect(texts[0].contains("Subscribed to"))
            #expect(texts[1].contains("already subscribed"))
            #expect(texts[2].contains("Subscribed to") && texts[2].contains("user account"), "invite links are kept for the account")
            #expect(texts[3].contains("not subscribed to nobody_here"))
            #expect(texts[4].contains("Unsubscribed from"))
            #expect(!texts[5].contains("no channels yet"))
            #expect(try await h.store.subscriptions(userID: user, limit: 10).map(\.channel.key) == ["+AbCdEfGhIjKl"])
        }
    }

    @Test func privateChannelsNotJoinedYetSayWhereJoiningStands() async throws {
        try await BotHarness.with() { h in
            let (waiting, _) = try await h.store.subscribe(userID: user, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            let (declined, _) = try await h.store.subscribe(userID: user, ref: .invite(hash: "ZyXwVuTsRqPo"), tags: [])
            try await h.store.recordAccountJoin(channelID: waiting.id, .requested)
            try await h.store.recordAccountJoin(channelID: declined.id, .declined)
            try await h.push(Updates.callback(1, data: "channels:0"))
            try await h.push(Updates.callback(2, data: "channel:\(waiting.id)"))
            try await h.push(Updates.callback(3, data: "channel:\(declined.id)"))
            try await h.poll(until: "screens") { await h.api.state.calls("answerCallbackQuery").count == 3 }
            let edits = await h.api.state.calls("editMessageText")
            #expect(edits.count == 3)
            #expect(edits[0].fields["reply_markup"]?.contains("⏳ +AbCdEfGhIjKl") == true, "the list marks the pending join")
            #expect(edits[0].fields["reply_markup"]?.contains("⚠️ +ZyXwVuTsRqPo") == true)
            #expect(edits[1].text?.contains("⏳ Join requested, waiting for approval") == true)
            #expect(edits[2].text?.contains("⚠️ Join declined by the channel's guard bot") == true)
        }
    }

    @Test func channelMenuDetailUnsubscribeWithConfirmationAndStaleButtons() async throws {
        try await BotHarness.with() { h in
            let channel = try await h.seed("durov", posts: 2)
            try await h.push(Updates.callback(1, data: "channels:0"))
            try await h.push(Updates.callback(2, data: "channel:\(channel.id)"))
            try await h.push(Updates.callback(3, data: "unsubscribe:\(channel.id)"))
            try await h.push(Updates.callback(4, data: "unsubscribe!:\(channel.id)"))
            try await h.push(Updates.callback(5, data: "channel:\(channel.id)"))
            try await h.push(Updates.callback(6, data: "channel:42; DROP TABLE"))
            try await h.poll(until: "screens") { await h.api.state.calls("answerCallbackQuery").count == 6 }
            let edits = await h.api.state.calls("editMessageText")
            #expect(edits.count == 5)
            #expect(edits[0].fields["reply_markup"]?.contains("channel:\(channel.id)") == true, "list shows the channel")
            #expect(edits[1].text?.contains("Posts stored: 2") == true, "detail")
            #expect(edits[2].text?.contains("Unsubscribe from") == true, "asks for confirmation")
            #expect(edits[2].fields["reply_markup"]?.contains("unsubscribe!:\(channel.id)") == true)
            #expect(edits[3].text?.contains("Unsubscribed from") == true)
            #expect(edits[4].text?.contains("no longer subscribed") == true, "stale button answered politely")
            #expect(try await h.store.subscriptions(userID: user, limit: 10).isEmpty)
            let answers = await h.api.state.calls("answerCallbackQuery")
            #expect(answers.last?.text == Screens.staleButton, "forged callback data is refused")
        }
    }

    @Test func settingsShowAndChangeFiltersAndLanguage() async throws {
        try await BotHarness.with() { h in
            try await h.push(Updates.text(1, "/settings"))
            try await h.push(Updates.callback(2, data: "set:lang"))
            try await h.push(Updates.callback(3, data: "set:ads"))
            try await h.push(Updates.callback(4, data: "filter:exclude"))
            try await h.push(Updates.text(5, "выборы"))
            try await h.push(Updates.callback(6, data: "filter:mute"))
            try await h.push(Updates.text(7, "not a channel!!"))
            try await h.push(Updates.text(8, "@durov"))
            try await h.poll(until: "filters saved") { await h.handled(through: 8) }
            #expect(try await h.store.readerLanguage(userID: user) == "ru")
            #expect(try await h.store.readerFilters(userID: user) == [
                ReaderFilter(kind: .exclude, value: "выборы"), ReaderFilter(kind: .mute, value: "durov"), ReaderFilter(kind: .noAds),
            ])
            let texts = await h.api.state.calls("sendMessage").compactMap(\.text)
            #expect(texts[0].contains("Digest language: auto") && texts[0].contains("<b>Filters</b>"))
            #expect(texts.contains { $0.contains("Filter added: hide posts with “выборы”") })
            #expect(texts.contains { $0.hasPrefix("⚠️") }, "a bad channel is named, nothing stored")
            #expect(texts.last?.contains("muted: durov") == true)
            let edits = await h.api.state.calls("editMessageText").compactMap(\.text)
            #expect(edits.contains { $0.contains("Digest language: русский") })
            try await h.push(Updates.callback(9, data: "filter:clear"))
            try await h.poll(until: "cleared") { await h.handled(through: 9) }
            #expect(try await h.store.readerFilters(userID: user).isEmpty)
        }
    }

    @Test func settingsMenuChangesDailyDigestHourZoneAndFormat() async throws {
        try await BotHarness.with() { h in
            try await h.push(Updates.text(1, "/settings"))
            try await h.push(Updates.callback(2, data: "set:daily"))
            try await h.push(Updates.callback(3, data: "set:hour"))
            try await h.push(Updates.callback(4, data: "set:hour:7"))
            try await h.push(Updates.callback(5, data: "set:tz:4"))
            try await h.push(Updates.callback(6, data: "set:format"))
            try await h.push(Updates.callback(7, data: "set:hour:24"))
            try await h.push(Updates.text(8, "/timezone Mars/Olympus"))
            try await h.push(Updates.text(9, "/timezone Asia/Tokyo"))
            try await h.poll(until: "settings saved") { await h.api.state.calls("sendMessage").count == 4 }
            let settings = try #require(try await h.store.userSettings(userID: user))
            #expect(settings.dailyDigest)
            #expect(settings.dailyHour == 7)
            #expect(settings.timeZone == "Asia/Tokyo")
            #expect(settings.format == .text)
            #expect(settings.chatID == user)
            let texts = await h.api.state.calls("sendMessage").compactMap(\.text)
            #expect(texts[2].contains("not a time zone"))
            let edits = await h.api.state.calls("editMessageText").compactMap(\.text)
            #expect(edits.contains { $0.contains("Europe/Moscow") }, "zone button 4 is Europe/Moscow")
            #expect(await h.api.state.calls("answerCallbackQuery").last?.text == Screens.staleButton, "hour 24 is refused")
        }
    }

    @Test func settingsChooseDestinationsAndEmailAddress() async throws {
        try await BotHarness.with() { h in
            try await h.push(Updates.text(1, "/settings"))
            try await h.push(Updates.callback(2, data: "dest:email"))
            try await h.push(Updates.text(3, "/email not-an-address"))
            try await h.push(Updates.text(4, "/email Reader@Example.com"))
            try await h.push(Updates.callback(5, data: "dest:telegram"))
            try await h.push(Updates.callback(6, data: "dest:feed"))
            try await h.push(Updates.callback(7, data: "dest:feed"))
            try await h.poll(until: "destinations saved") { await h.handled(through: 7) }
            let settings = try #require(try await h.store.userSettings(userID: user))
            #expect(settings.destinations == [.email, .feed])
            #expect(settings.email == "Reader@example.com")
            let texts = await h.api.state.calls("sendMessage").compactMap(\.text)
            #expect(texts[0].contains("Deliver to: Telegram, Feed"), "the default: Telegram and the feed")
            #expect(texts[1].contains("⚠️") && texts[1].contains("exactly one @"), "a bad address is named, nothing stored")
            #expect(texts[2].contains("also go to Reader@example.com") && texts[2].contains("email (Reader@example.com)"))
            let edits = await h.api.state.calls("editMessageText").compactMap(\.text)
            #expect(edits[0].contains("/email you@example.com"), "email without an address asks for one")
            #expect(edits.last?.contains("Deliver to: email (Reader@example.com), Feed") == true)
            #expect(edits.contains { $0.contains("Deliver to: email (Reader@example.com)\n") }, "the feed toggled off, then on")
            try await h.push(Updates.text(8, "/email off"))
            try await h.poll(until: "email off") { await h.handled(through: 8) }
            let off = try #require(try await h.store.userSettings(userID: user))
            #expect(off.email == nil && off.destinations == [.feed])
        }
    }

    @Test func allowlistRefusesOtherUsersPolitely() async throws {
        try await BotHarness.with(allowedUsers: [42]) { h in
            try await h.push(Updates.text(1, "/subscribe @durov"))
            try await h.push(Updates.callback(2, data: "digest"))
            try await h.poll(until: "refusals") { await h.api.state.calls("answerCallbackQuery").count == 1 }
            #expect(await h.api.state.calls("sendMessage").first?.text == Screens.notAllowed)
            #expect(await h.api.state.calls("answerCallbackQuery").first?.text == Screens.notAllowed)
            #expect(try await h.store.subscriptions(userID: user, limit: 10).isEmpty)
        }
    }
}
