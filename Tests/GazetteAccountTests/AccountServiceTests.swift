import Foundation
@testable import GazetteAccount
import GazetteCore
import GazetteMetrics
import GazetteSources
import GazetteStorage
import GazetteTestSupport
import Synchronization
import Testing

@Suite("the account service against scripted TDLib")
struct AccountServiceTests {
    typealias H = AccountHarness

    @Test("a public channel: looked up, history paged back to the window start, then only to the newest stored post")
    func publicHistory() async throws {
        try await H.withStore { store in
            let fake = try ScriptedTDJSON(fixture: "history_public.json")
            let clock = ManualClock(H.t0 + 7000)
            let registry = MetricRegistry()
            let service = H.service(store: store, fake: fake, clock: clock, registry: registry)
            _ = await service.tick()
            #expect(service.isReady)
            #expect(try await store.accountLease()?.state == .loggedIn)
            #expect(registry.text().contains(#"telegram_account_state{state="logged_in"} 1"#))

            let (channel, _) = try await store.subscribe(userID: 1, ref: .telegram(username: "gazette_demo"), tags: [])
            let first = try await service.fetch(channel, route: nil, since: H.t0, state: nil)
            #expect(first.chatID == -1001234567890)
            #expect(first.result.pages == 3)
            #expect(first.result.posts.map(\.messageID) == [1004, 1006, 1007, 1010])
            #expect(first.result.posts.first { $0.messageID == 1006 }?.forwardedFrom == "Source News")
            #expect(first.result.metadata?.title == "Gazette Demo")
            #expect(fake.sent("searchPublicChat").first?.contains(#""username":"gazette_demo""#) == true)
            #expect(fake.sent("openChat").count == 1)

            let state = FetchState(channelID: channel.id, lastMessageID: 1010, consecutiveFailures: 0)
            let second = try await service.fetch(channel, route: FetchRoute(accountChatID: first.chatID), since: H.t0, state: state)
            #expect(second.result.posts.map(\.messageID) == [1011])
            #expect(second.result.pages == 1)
            #expect(fake.sent("getChatHistory").count == 4)
            #expect(fake.unscripted.isEmpty)
        }
    }

    @Test("an invite link is joined (chatJoinResultSuccess) and opened; a flood wait is respected for that method; live updates store new posts and edits")
    func inviteFloodAndUpdates() async throws {
        try await H.withStore { store in
            let fake = try ScriptedTDJSON(fixture: "invite_flood_updates.json")
            let clock = ManualClock(H.t0 + 300)
            let saved = SavedCounts()
            let service = H.service(store: store, fake: fake, clock: clock, saved: saved)
            let session = try #require(await service.tick())
            try await using(Task { await service.consumeUpdates(of: session) }, close: { $0.cancel(); await $0.value }) { _ in
                let (channel, _) = try await store.subscribe(userID: 1, ref: try ChannelRef.parse("https://t.me/+AbCdEfGhIjKl"), tags: [])
                let joined = try await service.fetch(channel, route: nil, since: H.t0, state: nil)
                #expect(joined.chatID == -1005550001111)
                #expect(joined.result.posts.map(\.text) == ["Members only: first", "Members only: second"])
                #expect(joined.result.posts.first?.url == "https://t.me/c/5550001111/19")
                #expect(fake.sent("joinChatByInviteLink").first?.contains("https://t.me/+AbCdEfGhIjKl") == true)
                #expect(fake.sent("openChat").first?.contains("-1005550001111") == true, "a joined channel is opened too")
                _ = try await store.savePosts(joined.result.posts, channelID: channel.id, outcome: nil, dedupWindow: 0)

                // Telegram asks to wait 120 s (TDLib's 429 "retry after 120"): the next fetch fails with the wait, and no further request goes out until it is over.
                let flooded = await #expect(throws: SourceError.self) {
                    _ = try await service.fetch(channel, route: FetchRoute(accountChatID: joined.chatID), since: H.t0, state: nil)
                }
                #expect(flooded?.errorType == .rateLimited)
                #expect(flooded?.retryAfter == 120)
                let before = fake.sent("getChatHistory").count
                clock.advance(60)
                let again = await #expect(throws: SourceError.self) {
                    _ = try await service.fetch(channel, route: FetchRoute(accountChatID: joined.chatID), since: H.t0, state: nil)
                }
                #expect(again?.retryAfter == 60)
                #expect(fake.sent("getChatHistory").count == before)

                // A new post arrives while the worker runs, then its edit; a chat Gazette does not read is ignored.
                fake.push([try H.live("other"), try H.live("new")])
                #expect(try await eventually {
                    try await store.posts(channelID: channel.id, since: H.t0, until: H.t0 + 1000, limit: 10).contains { $0.messageID == 21 }
                })
                #expect(saved.counts.withLock { $0 } == ["+AbCdEfGhIjKl": 1])
                fake.push([try H.live("content")])
                #expect(try await eventually {
                    try await store.posts(channelID: channel.id, since: H.t0, until: H.t0 + 1000, limit: 10)
                        .first { $0.messageID == 21 }?.text == "Live post, edited"
                })
                let edited = try await store.posts(channelID: channel.id, since: H.t0, until: H.t0 + 1000, limit: 10).first { $0.messageID == 21 }
                #expect(edited?.editedAt == H.t0 + 260)
                #expect(fake.unscripted.isEmpty)
            }
        }
    }

    @Test("exactly one of two workers owns the account; the other takes over when the owner dies")
    func leaseBetweenTwoWorkers() async throws {
        try await H.withStore { store in
            let clock = ManualClock(H.t0)
            let fakeA = try ScriptedTDJSON(fixture: "session_ready_logout.json")
            let fakeB = try ScriptedTDJSON(fixture: "session_ready_logout.json")
            let a = H.service(store: store, fake: fakeA, owner: "worker-a", clock: clock)
            let b = H.service(store: store, fake: fakeB, owner: "worker-b", clock: clock)
            _ = await a.tick()
            _ = await b.tick()
            #expect(a.isReady && !b.isReady)
            #expect(fakeB.sent.isEmpty, "the second worker never opens the session")
            #expect(try await store.accountLease()?.owner == "worker-a")

            // worker-a dies (no more renewals): after the lease runs out, worker-b takes the account over.
            clock.advance(30)
            _ = await b.tick()
            #expect(!b.isReady)
            clock.advance(31)
            _ = await b.tick()
            #expect(b.isReady)
            #expect(try await store.accountLease()?.owner == "worker-b")
            // worker-a comes back: it sees the account owned elsewhere and closes its session.
            _ = await a.tick()
            #expect(!a.isReady)
            #expect(fakeA.sent("close").count == 1)
        }
    }

    @Test("a session that is not logged in is reported logged out and reads nothing")
    func loggedOut() async throws {
        try await H.withStore { store in
            let fake = try ScriptedTDJSON(fixture: "login_flood_wait.json")
            let registry = MetricRegistry()
            let service = H.service(store: store, fake: fake, clock: ManualClock(H.t0), registry: registry)
            _ = await service.tick()
            #expect(!service.isReady)
            #expect(service.accountState == .loggedOut)
            #expect(try await store.accountLease()?.state == .loggedOut)
            #expect(registry.text().contains(#"telegram_account_state{state="logged_out"} 1"#))
            let (channel, _) = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            let error = await #expect(throws: SourceError.self) {
                _ = try await service.fetch(channel, route: nil, since: H.t0, state: nil)
            }
            #expect(error?.errorType == .account)
        }
    }

    @Test("joinChatByInviteLink's results: a request sent, a guard bot's approval and a declined join are where joining stands, not errors, and are not asked again",
          arguments: [("invite_join_requested.json", AccountJoin.requested), ("invite_join_guard_bot.json", .guardBot),
                      ("invite_join_declined.json", .declined)])
    func joinNotDone(fixture: String, expected: AccountJoin) async throws {
        try await H.withStore { store in
            let fake = try ScriptedTDJSON(fixture: fixture)
            let service = H.service(store: store, fake: fake, clock: ManualClock(H.t0 + 300))
            _ = await service.tick()
            let (channel, _) = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            let first = try await service.fetch(channel, route: nil, since: H.t0, state: nil)
            #expect(first.join == expected && first.chatID == nil && first.result.posts.isEmpty)
            #expect(fake.sent("joinChatByInviteLink").count == 1)
            guard expected != .declined else { return #expect(fake.unscripted.isEmpty) }
            // The next pass checks the link only: no second join request while one is recorded.
            let again = try await service.fetch(channel, route: FetchRoute(method: .account, accountJoin: expected), since: H.t0, state: nil)
            #expect(again.join == expected)
            #expect(fake.sent("checkChatInviteLink").count == 2 && fake.sent("joinChatByInviteLink").count == 1)
            #expect(fake.unscripted.isEmpty)
        }
    }

    @Test("a join request once approved: the link gives the chat with no preview time, and the channel is opened and read")
    func joinApproved() async throws {
        try await H.withStore { store in
            let fake = try ScriptedTDJSON(fixture: "invite_join_requested.json")
            let service = H.service(store: store, fake: fake, clock: ManualClock(H.t0 + 600))
            _ = await service.tick()
            let (channel, _) = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            let pending = FetchRoute(method: .account, accountJoin: .requested)
            #expect(try await service.fetch(channel, route: nil, since: H.t0, state: nil).join == .requested)
            #expect(try await service.fetch(channel, route: pending, since: H.t0, state: nil).join == .requested)
            let approved = try await service.fetch(channel, route: pending, since: H.t0, state: nil)
            #expect(approved.join == nil && approved.chatID == -1005550002222)
            #expect(approved.result.posts.map(\.text) == ["Welcome, approved members"])
            #expect(approved.result.metadata?.title == "Approval Club")
            #expect(fake.sent("openChat").count == 1 && fake.sent("joinChatByInviteLink").count == 1)
            #expect(fake.unscripted.isEmpty)
        }
    }

    @Test("chatInviteLinkInfo.chat_id with preview time left (accessible_for) is not membership: the channel is joined")
    func previewIsNotMembership() async throws {
        try await H.withStore { store in
            let fake = try ScriptedTDJSON(fixture: "invite_preview.json")
            let service = H.service(store: store, fake: fake, clock: ManualClock(H.t0 + 600))
            _ = await service.tick()
            let (channel, _) = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            let read = try await service.fetch(channel, route: nil, since: H.t0, state: nil)
            #expect(fake.sent("joinChatByInviteLink").count == 1)
            #expect(read.chatID == -1005550003333 && read.result.posts.map(\.text) == ["Readable for members"])
            #expect(fake.unscripted.isEmpty)
        }
    }

    @Test("after a restart the account's channels are opened again before any fetch, and their live updates are stored")
    func restartOpensChats() async throws {
        try await H.withStore { store in
            let (invite, _) = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            let (open, _) = try await store.subscribe(userID: 1, ref: .telegram(username: "gazette_demo"), tags: [])
            let (other, _) = try await store.subscribe(userID: 1, ref: .telegram(username: "durov"), tags: [])
            // What earlier runs found: two channels read through the account with their chats, one through the preview.
            try await store.recordFetchMethod(channelID: invite.id, method: .account, reason: "joined through the invite link", accountChatID: -1005550001111)
            try await store.setFetchVia(channelID: open.id, .account)
            try await store.recordFetchMethod(channelID: open.id, method: .account, reason: "--via account", accountChatID: -1001234567890)
            try await store.recordFetchMethod(channelID: other.id, method: .preview, reason: "auto, public channel", accountChatID: nil)

            let fake = try ScriptedTDJSON(fixture: "restart_open_chats.json")
            let service = H.service(store: store, fake: fake, clock: ManualClock(H.t0 + 300))
            let session = try #require(await service.tick())
            try await using(Task { await service.consumeUpdates(of: session) }, close: { $0.cancel(); await $0.value }) { _ in
                let opened = fake.sent("openChat")
                #expect(opened.count == 2)
                #expect(opened.contains { $0.contains(#""chat_id":-1005550001111"#) } && opened.contains { $0.contains(#""chat_id":-1001234567890"#) })
                #expect(fake.sent("getChatHistory").isEmpty && fake.sent("checkChatInviteLink").isEmpty)
                // The next round does not open them again in the same session.
                _ = await service.tick()
                #expect(fake.sent("openChat").count == 2)

                fake.push([try H.live("new")])
                #expect(try await eventually {
                    try await store.posts(channelID: invite.id, since: H.t0, until: H.t0 + 1000, limit: 10).map(\.text) == ["Live post"]
                })
                #expect(fake.unscripted.isEmpty)
            }
        }
    }

    @Test("one-emoji posts, checklists, live locations, rich messages and stake dice are posts; a checklist's service message is not")
    func postLikeContents() async throws {
        try await H.withStore { store in
            let fake = try ScriptedTDJSON(fixture: "history_post_kinds.json")
            let service = H.service(store: store, fake: fake, clock: ManualClock(H.t0 + 7000))
            _ = await service.tick()
            let (channel, _) = try await store.subscribe(userID: 1, ref: .telegram(username: "post_kinds"), tags: [])
            let posts = try await service.fetch(channel, route: nil, since: H.t0, state: nil).result.posts
            #expect(posts.map(\.messageID) == [51, 52, 53, 54, 55])
            let byID = Dictionary(uniqueKeysWithValues: posts.map { ($0.messageID, $0) })
            #expect(byID[51]?.text == "🎉" && byID[51]?.media == [])
            #expect(byID[52]?.text == "Release checklist\n☑ Write the notes\n☐ Ship it")
            #expect(byID[52]?.html == "<b>Release</b> checklist<br>☑ Write the <i>notes</i><br>☐ Ship it")
            #expect(byID[52]?.media == [MediaSummary(kind: "checklist", count: 1)])
            #expect(byID[53]?.media == [MediaSummary(kind: "location", count: 1)])
            #expect(byID[54]?.text == "Release day\nVersion 2 is out today.")
            #expect(byID[55]?.media == [MediaSummary(kind: "dice", count: 1)])
            let saved = try await store.savePosts(posts, channelID: channel.id, outcome: nil, dedupWindow: 0)
            #expect(saved.saved == 5)
            #expect(fake.unscripted.isEmpty)
        }
    }
}
