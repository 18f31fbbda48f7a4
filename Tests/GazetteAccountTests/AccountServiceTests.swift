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
            let first = try await service.fetch(channel, chatID: nil, since: H.t0, state: nil)
            #expect(first.chatID == -1001234567890)
            #expect(first.result.pages == 3)
            #expect(first.result.posts.map(\.messageID) == [1004, 1006, 1007, 1010])
            #expect(first.result.posts.first { $0.messageID == 1006 }?.forwardedFrom == "Source News")
            #expect(first.result.metadata?.title == "Gazette Demo")
            #expect(fake.sent("searchPublicChat").first?.contains(#""username":"gazette_demo""#) == true)
            #expect(fake.sent("openChat").count == 1)

            let state = FetchState(channelID: channel.id, lastMessageID: 1010, consecutiveFailures: 0)
            let second = try await service.fetch(channel, chatID: first.chatID, since: H.t0, state: state)
            #expect(second.result.posts.map(\.messageID) == [1011])
            #expect(second.result.pages == 1)
            #expect(fake.sent("getChatHistory").count == 4)
            #expect(fake.unscripted.isEmpty)
        }
    }

    @Test("an invite link is joined; FLOOD_WAIT is respected for that method; live updates store new posts and edits")
    func inviteFloodAndUpdates() async throws {
        try await H.withStore { store in
            let fake = try ScriptedTDJSON(fixture: "invite_flood_updates.json")
            let clock = ManualClock(H.t0 + 300)
            let saved = SavedCounts()
            let service = H.service(store: store, fake: fake, clock: clock, saved: saved)
            let session = try #require(await service.tick())
            let consumer = Task { await service.consumeUpdates(of: session) }
            defer { consumer.cancel() }

            let (channel, _) = try await store.subscribe(userID: 1, ref: try ChannelRef.parse("https://t.me/+AbCdEfGhIjKl"), tags: [])
            let joined = try await service.fetch(channel, chatID: nil, since: H.t0, state: nil)
            #expect(joined.chatID == -1005550001111)
            #expect(joined.result.posts.map(\.text) == ["Members only: first", "Members only: second"])
            #expect(joined.result.posts.first?.url == "https://t.me/c/5550001111/19")
            #expect(fake.sent("joinChatByInviteLink").first?.contains("https://t.me/+AbCdEfGhIjKl") == true)
            _ = try await store.savePosts(joined.result.posts, channelID: channel.id, outcome: nil, dedupWindow: 0)

            // Telegram asks to wait 120 s: the next fetch fails with the wait, and no further request goes out until it is over.
            let flooded = await #expect(throws: SourceError.self) {
                _ = try await service.fetch(channel, chatID: joined.chatID, since: H.t0, state: nil)
            }
            #expect(flooded?.errorType == .rateLimited)
            #expect(flooded?.retryAfter == 120)
            let before = fake.sent("getChatHistory").count
            clock.advance(60)
            let again = await #expect(throws: SourceError.self) {
                _ = try await service.fetch(channel, chatID: joined.chatID, since: H.t0, state: nil)
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
                _ = try await service.fetch(channel, chatID: nil, since: H.t0, state: nil)
            }
            #expect(error?.errorType == .account)
        }
    }
}
