import Foundation
import GazetteCore
@testable import GazetteStorage
import Testing

@Suite("Store contract: channels and subscriptions")
struct SubscriptionContractTests {
    /// The earlier system stored posts per user, so a second subscriber never saw a channel's posts.
    @Test("two users subscribing to one channel both see its posts", arguments: StoreKind.available)
    func secondSubscriberSeesPosts(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let (channel, created) = try await store.subscribe(userID: 1, ref: tg("technews"), tags: ["tech"])
            #expect(created)
            let result = try await store.savePosts((1...5).map { post("technews", $0, "Новость номер \($0)", at: t0 + Double($0)) },
                                                   channelID: channel.id, outcome: nil, dedupWindow: week)
            #expect(result == SaveResult(saved: 5, skipped: 0, total: 5))

            let (same, createdAgain) = try await store.subscribe(userID: 2, ref: try ChannelRef.parse("https://t.me/s/TechNews"), tags: [])
            #expect(createdAgain)
            #expect(same.id == channel.id)

            for user: Int64 in [1, 2] {
                let window = try await store.posts(forUser: user, since: t0, until: t0 + day, limits: WindowLimits())
                #expect(window.count == 1)
                #expect(window.first?.channel.id == channel.id)
                #expect(window.first?.posts.map(\.messageID) == [5, 4, 3, 2, 1])
            }
            #expect(try await store.subscribers(channelID: channel.id) == [1, 2])
            #expect(try await allPosts(store, channelID: channel.id).count == 5, "posts are stored once per channel")
        }
    }

    @Test("subscribing twice updates tags; unsubscribe removes only that user", arguments: StoreKind.available)
    func resubscribeAndUnsubscribe(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let (channel, _) = try await store.subscribe(userID: 7, ref: tg("durov"), tags: ["a"])
            _ = try await store.subscribe(userID: 8, ref: tg("durov"), tags: [])
            let again = try await store.subscribe(userID: 7, ref: try ChannelRef.parse("@Durov"), tags: ["b", "c", "b"])
            #expect(!again.created)
            let list = try await store.subscriptions(userID: 7, limit: 10)
            #expect(list.count == 1)
            #expect(list.first?.subscription.tags == ["b", "c"])
            #expect(list.first?.channel.key == "durov")

            #expect(try await store.unsubscribe(userID: 7, channelID: channel.id))
            #expect(try await !store.unsubscribe(userID: 7, channelID: channel.id))
            #expect(try await store.subscriptions(userID: 7, limit: 10).isEmpty)
            #expect(try await store.subscribers(channelID: channel.id) == [8])
            #expect(try await store.subscribedChannelCount() == 1)
            #expect(try await store.unsubscribe(userID: 8, channelID: channel.id))
            #expect(try await store.subscribedChannelCount() == 0)
        }
    }

    @Test("targeted subscription queries: one subscription, a page, the count, the ids", arguments: StoreKind.available)
    func targetedQueries(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            var ids: [Int64] = []
            for n in 1...12 {
                ids.append(try await store.subscribe(userID: 4, ref: tg("chan_number_\(n)"), tags: ["t\(n)"]).channel.id)
            }
            let other = try await store.subscribe(userID: 5, ref: tg("somebody_else"), tags: []).channel
            #expect(try await store.subscriptionCount(userID: 4) == 12)
            #expect(try await store.subscriptionCount(userID: 6) == 0)
            #expect(try await store.subscribedChannelIDs(userID: 4) == ids.sorted())
            #expect(try await store.subscribedChannelCount() == 13)

            // Pages are the listing's order (oldest subscription first), without gaps or repeats.
            let first = try await store.subscriptions(userID: 4, limit: 5, offset: 0)
            let second = try await store.subscriptions(userID: 4, limit: 5, offset: 5)
            let last = try await store.subscriptions(userID: 4, limit: 5, offset: 10)
            #expect((first + second + last).map(\.channel.id) == ids)
            #expect(last.count == 2)
            #expect(try await store.subscriptions(userID: 4, limit: 5, offset: 20).isEmpty)
            await #expect(throws: StoreError.self) { _ = try await store.subscriptions(userID: 4, limit: 5, offset: -1) }

            let one = try #require(try await store.subscription(userID: 4, channelID: ids[2]))
            #expect(one.channel.key == "chan_number_3")
            #expect(one.subscription.tags == ["t3"])
            #expect(try await store.subscription(userID: 4, channelID: other.id) == nil, "another user's channel")
            #expect(try await store.subscription(userID: 4, ref: try ChannelRef.parse("@Chan_Number_7"))?.channel.id == ids[6])
            #expect(try await store.subscription(userID: 4, ref: tg("somebody_else")) == nil)
            #expect(try await store.subscription(userID: 4, ref: tg("never_seen_here")) == nil)
        }
    }

    @Test("listing shows post counts and fetch status; metadata updates keep known fields", arguments: StoreKind.available)
    func listingAndMetadata(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let (a, _) = try await store.subscribe(userID: 3, ref: tg("alpha_news"), tags: [])
            let (b, _) = try await store.subscribe(userID: 3, ref: .feed(url: "https://example.org/feed.xml"), tags: [])
            _ = try await store.savePosts([post("alpha_news", 1, "one"), post("alpha_news", 2, "two")], channelID: a.id,
                                          outcome: .success(at: t0, nextAttemptAt: nil, etag: nil, lastModified: nil), dedupWindow: week)
            try await store.recordFetch(channelID: b.id, owner: "w1",
                                        outcome: .failure(at: t0, error: "HTTP 503 from example.org", nextAttemptAt: t0 + 60))
            let list = try await store.subscriptions(userID: 3, limit: 10)
            #expect(list.map(\.channel.id) == [a.id, b.id])
            #expect(list[0].postCount == 2)
            #expect(list[0].lastSuccessAt == t0)
            #expect(list[1].postCount == 0)
            #expect(list[1].lastError == "HTTP 503 from example.org")
            #expect(try await store.subscriptions(userID: 3, limit: 1).count == 1)

            try await store.updateChannelMetadata(channelID: a.id, ChannelMetadata(title: "Альфа 🚀", subscribers: 37_200))
            try await store.updateChannelMetadata(channelID: a.id, ChannelMetadata(description: "Описание"))
            let meta = try #require(try await store.channel(id: a.id)).metadata
            #expect(meta == ChannelMetadata(title: "Альфа 🚀", description: "Описание", subscribers: 37_200))
            #expect(try await store.channel(ref: tg("ALPHA_NEWS"))?.id == a.id)
            #expect(try await store.channel(ref: tg("missing_one")) == nil)
            await #expect(throws: StoreError.channelNotFound(999_999)) {
                try await store.updateChannelMetadata(channelID: 999_999, ChannelMetadata(title: "x"))
            }
        }
    }
}
