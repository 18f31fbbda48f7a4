import Foundation
import GazetteCore
@testable import GazetteStorage
import Testing

@Suite("Store contract: user account")
struct AccountContractTests {
    @Test("a channel's --via and the method the worker found are kept; invite links are telegram channels", arguments: StoreKind.available)
    func routes(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let (open, _) = try await store.subscribe(userID: 1, ref: tg("route_open"), tags: [])
            let (invite, created) = try await store.subscribe(userID: 1, ref: try ChannelRef.parse("https://t.me/+AbCdEfGhIjKl"), tags: [])
            #expect(created)
            #expect(invite.key == "+AbCdEfGhIjKl" && invite.kind == .telegram)
            #expect(try await store.channel(ref: .invite(hash: "AbCdEfGhIjKl"))?.id == invite.id)
            // The hash is case-sensitive: another case is another channel.
            #expect(try await store.channel(ref: .invite(hash: "abcdefghijkl")) == nil)

            var routes = try await store.fetchRoutes(channelIDs: [open.id, invite.id, 999_999])
            #expect(routes == [open.id: FetchRoute(), invite.id: FetchRoute()])

            try await store.setFetchVia(channelID: open.id, .account)
            try await store.recordFetchMethod(channelID: invite.id, method: .account, reason: "joined through the invite link", accountChatID: -1001234)
            // A later record without a chat id keeps the known one.
            try await store.recordFetchMethod(channelID: invite.id, method: .account, reason: "read through the account", accountChatID: nil)
            routes = try await store.fetchRoutes(channelIDs: [open.id, invite.id])
            #expect(routes[open.id] == FetchRoute(via: .account))
            #expect(routes[invite.id] == FetchRoute(via: .auto, method: .account, reason: "read through the account", accountChatID: -1001234))
            #expect(try await store.fetchRoutes(channelIDs: []) == [:])

            await #expect(throws: StoreError.self) { try await store.setFetchVia(channelID: 999_999, .preview) }
            await #expect(throws: StoreError.self) {
                try await store.recordFetchMethod(channelID: open.id, method: .preview, reason: "", accountChatID: nil)
            }
        }
    }

    @Test("where joining a private channel stands is kept until cleared, and shows in the routes and the subscriptions",
          arguments: StoreKind.available)
    func accountJoin(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let (invite, _) = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            let (other, _) = try await store.subscribe(userID: 1, ref: .invite(hash: "ZyXwVuTsRqPo"), tags: [])
            try await store.recordAccountJoin(channelID: invite.id, .requested)
            try await store.recordAccountJoin(channelID: other.id, .guardBot)
            try await store.recordAccountJoin(channelID: other.id, .declined)
            let routes = try await store.fetchRoutes(channelIDs: [invite.id, other.id])
            #expect(routes[invite.id]?.accountJoin == .requested && routes[other.id]?.accountJoin == .declined)
            var rows = try await store.subscriptions(userID: 1, limit: 10)
            #expect(rows.map(\.accountJoin) == [.requested, .declined])
            #expect(try await store.subscription(userID: 1, channelID: invite.id)?.accountJoin == .requested)

            try await store.recordAccountJoin(channelID: invite.id, nil)
            rows = try await store.subscriptions(userID: 1, limit: 10)
            #expect(rows.map(\.accountJoin) == [nil, .declined])
            await #expect(throws: StoreError.self) { try await store.recordAccountJoin(channelID: 999_999, .requested) }
        }
    }

    @Test("the account's channels with a known chat: subscribed, read through the account", arguments: StoreKind.available)
    func accountChannels(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let (invite, _) = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            let (forced, _) = try await store.subscribe(userID: 1, ref: tg("open_forced"), tags: [])
            let (preview, _) = try await store.subscribe(userID: 1, ref: tg("open_preview"), tags: [])
            let (unknown, _) = try await store.subscribe(userID: 1, ref: .invite(hash: "NoChatYet123"), tags: [])
            let (gone, _) = try await store.subscribe(userID: 2, ref: .invite(hash: "Unsubscribed"), tags: [])
            try await store.recordFetchMethod(channelID: invite.id, method: .account, reason: "joined", accountChatID: -1001)
            try await store.setFetchVia(channelID: forced.id, .account)
            try await store.recordFetchMethod(channelID: forced.id, method: .account, reason: "--via account", accountChatID: -1002)
            // A chat id left from an earlier --via account, now read through the preview: not the account's.
            try await store.recordFetchMethod(channelID: preview.id, method: .preview, reason: "auto", accountChatID: -1003)
            try await store.recordFetchMethod(channelID: gone.id, method: .account, reason: "joined", accountChatID: -1004)
            _ = try await store.unsubscribe(userID: 2, channelID: gone.id)
            let channels = try await store.accountChannels()
            #expect(channels.map(\.chatID) == [-1001, -1002])
            #expect(channels.map(\.channel.id) == [invite.id, forced.id])
            #expect(!channels.contains { $0.channel.id == unknown.id })
        }
    }

    @Test("exactly one owner holds the account lease; a dead owner's lease is taken over; only the owner sets the state",
          arguments: StoreKind.available)
    func lease(kind: StoreKind) async throws {
        try await withFreshStores(kind, stores: 2) { stores in
            let (a, b) = (stores[0], stores[1])
            #expect(try await a.accountLease() == nil)
            #expect(try await a.claimAccount(owner: "w1", now: t0, lease: 60))
            #expect(try await b.claimAccount(owner: "w2", now: t0 + 1, lease: 60) == false)
            #expect(try await a.claimAccount(owner: "w1", now: t0 + 30, lease: 60))  // renewed until t0 + 90
            #expect(try await b.claimAccount(owner: "w2", now: t0 + 61, lease: 60) == false)

            #expect(try await a.setAccountState(owner: "w1", .loggedIn, now: t0 + 31))
            #expect(try await b.setAccountState(owner: "w2", .loggedOut, now: t0 + 32) == false)
            let held = try #require(try await b.accountLease())
            #expect(held.owner == "w1" && held.state == .loggedIn && held.leaseUntil == t0 + 90)
            #expect(held.ready(now: t0 + 40))
            #expect(!held.ready(now: t0 + 91))

            // w1 dies: its lease runs out and w2 takes the account over; w1 coming back late cannot release it.
            #expect(try await b.claimAccount(owner: "w2", now: t0 + 91, lease: 60))
            try await a.releaseAccount(owner: "w1")
            #expect(try await a.accountLease()?.owner == "w2")
            #expect(try await a.claimAccount(owner: "w1", now: t0 + 100, lease: 60) == false)
            // A released lease is free at once; the state stays for others to read.
            try await b.releaseAccount(owner: "w2")
            let released = try #require(try await a.accountLease())
            #expect(released.owner == nil && released.state == .loggedIn && !released.ready(now: t0 + 101))
            #expect(try await a.claimAccount(owner: "w1", now: t0 + 101, lease: 60))
        }
    }

    @Test("forwards and edit dates of posts read through the account round-trip; an edit keeps what it does not know",
          arguments: StoreKind.available)
    func forwardsAndEdits(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let (channel, _) = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            let post = Post(channel: channel.key, messageID: 7, text: "album caption", date: t0, views: 120,
                            media: [MediaSummary(kind: "photo", count: 3)], forwardedFrom: "Other channel", forwards: 4,
                            editedAt: t0 + 60)
            let plain = Post(channel: channel.key, messageID: 8, text: "no counters", date: t0 + 1)
            _ = try await store.savePosts([post, plain], channelID: channel.id, outcome: nil, dedupWindow: 0)
            var stored = try await store.posts(channelID: channel.id, since: t0 - 1, until: t0 + 10, limit: 10)
            #expect(stored.first { $0.messageID == 7 }?.forwards == 4)
            #expect(stored.first { $0.messageID == 7 }?.editedAt == t0 + 60)
            #expect(stored.first { $0.messageID == 8 }?.forwards == nil)
            #expect(stored.first { $0.messageID == 8 }?.editedAt == nil)

            var edited = post
            edited.text = "album caption, edited"
            edited.forwards = nil
            edited.editedAt = t0 + 120
            try await store.upsertPost(edited, channelID: channel.id)
            stored = try await store.posts(channelID: channel.id, since: t0 - 1, until: t0 + 10, limit: 10)
            let after = try #require(stored.first { $0.messageID == 7 })
            #expect(after.text == "album caption, edited" && after.forwards == 4 && after.editedAt == t0 + 120)
            await #expect(throws: StoreError.self) {
                var bad = plain
                bad.forwards = -1
                try await store.upsertPost(bad, channelID: channel.id)
            }
        }
    }

    @Test("a worker that does not own the account claims every due channel but those read through the account",
          arguments: StoreKind.available)
    func claimLeavingAccount(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let (open, _) = try await store.subscribe(userID: 1, ref: tg("leave_open"), tags: [])
            let (hidden, _) = try await store.subscribe(userID: 1, ref: tg("leave_hidden"), tags: [])
            let (forced, _) = try await store.subscribe(userID: 1, ref: tg("leave_forced"), tags: [])
            let (pinned, _) = try await store.subscribe(userID: 1, ref: tg("leave_pinned"), tags: [])
            let (invite, _) = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            let (feed, _) = try await store.subscribe(userID: 1, ref: .feed(url: "https://example.org/feed.xml"), tags: [])
            try await store.recordFetchMethod(channelID: hidden.id, method: .account, reason: "t.me shows no public preview", accountChatID: nil)
            try await store.setFetchVia(channelID: forced.id, .account)
            // --via preview wins over what the worker found.
            try await store.setFetchVia(channelID: pinned.id, .preview)
            try await store.recordFetchMethod(channelID: pinned.id, method: .account, reason: "t.me shows no public preview", accountChatID: nil)

            // What is left is named without being claimed.
            #expect(try await store.dueAccountChannels(now: t0).map(\.id) == [hidden.id, forced.id, invite.id].sorted())
            let claimed = try await store.claimDueChannelsLeavingAccount(owner: "w2", now: t0, lease: 300, limit: 10)
            #expect(Set(claimed.map(\.id)) == [open.id, pinned.id, feed.id])
            #expect(try await store.dueAccountChannels(now: t0).count == 3)
            let rest = try await store.claimDueChannels(owner: "w1", now: t0, lease: 300, limit: 10)
            #expect(Set(rest.map(\.id)) == [hidden.id, forced.id, invite.id])
            // A channel not due yet is not left: it would not have been read now anyway.
            try await store.recordFetch(channelID: forced.id, owner: "w1",
                                        outcome: .failure(at: t0, error: "waiting for login", nextAttemptAt: t0 + 3600))
            #expect(try await store.dueAccountChannels(now: t0 + 60).map(\.id) == [hidden.id, invite.id].sorted())
        }
    }

    @Test("concurrent claims of the account: exactly one wins", arguments: StoreKind.available)
    func concurrentClaims(kind: StoreKind) async throws {
        try await withFreshStores(kind, stores: 2) { stores in
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<8 {
                    let store = stores[i % 2]
                    group.addTask { try await store.claimAccount(owner: "w\(i)", now: t0, lease: 60) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
        }
    }
}
