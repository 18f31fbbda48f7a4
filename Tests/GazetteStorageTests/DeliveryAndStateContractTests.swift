import Foundation
import GazetteCore
@testable import GazetteStorage
import Testing

@Suite("Store contract: deliveries, digest cache, bot state")
struct DeliveryAndStateContractTests {
    @Test("a delivery is claimed by exactly one of many concurrent callers; failed ones are re-claimable", arguments: StoreKind.available)
    func deliveries(kind: StoreKind) async throws {
        try await withFreshStores(kind, stores: 2) { stores in
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<12 {
                    let store = stores[i % 2]
                    group.addTask { try await store.claimDelivery(userID: 42, kind: "daily", period: "2026-11-29", owner: "bot-\(i)", now: t0) }
                }
                var count = 0
                for try await won in group where won { count += 1 }
                return count
            }
            #expect(wins == 1)
            let store = stores[0]
            #expect(try await store.delivery(userID: 42, kind: "daily", period: "2026-11-29")?.status == .claimed)
            #expect(try await !store.claimDelivery(userID: 42, kind: "daily", period: "2026-11-29", owner: "late", now: t0 + 1))

            try await store.finishDelivery(userID: 42, kind: "daily", period: "2026-11-29", status: .failed, now: t0 + 2)
            #expect(try await store.claimDelivery(userID: 42, kind: "daily", period: "2026-11-29", owner: "retry", now: t0 + 3))
            let retried = try #require(try await store.delivery(userID: 42, kind: "daily", period: "2026-11-29"))
            #expect(retried.attempts == 2)
            #expect(retried.claimedBy == "retry")
            try await store.finishDelivery(userID: 42, kind: "daily", period: "2026-11-29", status: .sent, now: t0 + 4)
            #expect(try await !store.claimDelivery(userID: 42, kind: "daily", period: "2026-11-29", owner: "again", now: t0 + 5))
            #expect(try await store.claimDelivery(userID: 42, kind: "daily", period: "2026-11-30", owner: "next", now: t0 + day))
            // A claimer that died mid-delivery: its claim is live for `abandonedAfter`, then taken over once.
            let late = t0 + day + Delivery.abandonedAfter
            #expect(try await !store.claimDelivery(userID: 42, kind: "daily", period: "2026-11-30", owner: "early", now: late - 1))
            #expect(try await store.claimDelivery(userID: 42, kind: "daily", period: "2026-11-30", owner: "heir", now: late))
            #expect(try await !store.claimDelivery(userID: 42, kind: "daily", period: "2026-11-30", owner: "third", now: late + 1))
            let inherited = try #require(try await store.delivery(userID: 42, kind: "daily", period: "2026-11-30"))
            #expect(inherited.claimedBy == "heir")
            #expect(inherited.attempts == 2)
            await #expect(throws: StoreError.self) {
                try await store.finishDelivery(userID: 43, kind: "daily", period: "2026-11-29", status: .sent, now: t0)
            }
        }
    }

    @Test("digest cache returns the same bytes until it expires", arguments: StoreKind.available)
    func digestCache(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let pdf = Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            let digest = CachedDigest(key: "u1|24h|abc|99", pdf: pdf, pages: 3, channels: 4, posts: 57, createdAt: t0, expiresAt: t0 + 3600)
            try await store.storeDigest(digest)
            #expect(try await store.cachedDigest(key: digest.key, now: t0 + 10) == digest)
            #expect(try await store.cachedDigest(key: digest.key, now: t0 + 3600) == nil)
            #expect(try await store.cachedDigest(key: "other", now: t0) == nil)
            var newer = digest
            newer.pages = 4
            newer.channels = 5
            newer.expiresAt = t0 + 7200
            try await store.storeDigest(newer)
            #expect(try await store.cachedDigest(key: digest.key, now: t0 + 3600) == newer)
            var negative = digest
            negative.posts = -1
            await #expect(throws: StoreError.self) { try await store.storeDigest(negative) }
            try await store.storeDigest(CachedDigest(key: "old", pdf: Data([1]), pages: 1, channels: 1, posts: 1, createdAt: t0, expiresAt: t0 + 1))
            #expect(try await store.deleteExpiredDigests(now: t0 + 100) == 1)
        }
    }

    @Test("user settings and key/value state round-trip", arguments: StoreKind.available)
    func botState(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            #expect(try await store.userSettings(userID: 5) == nil)
            let s = UserSettings(userID: 5, chatID: -100_123, dailyDigest: true, dailyHour: 7, timeZone: "Europe/Moscow", format: .text)
            try await store.saveUserSettings(s)
            try await store.saveUserSettings(UserSettings(userID: 6))
            #expect(try await store.userSettings(userID: 5) == s)
            #expect(try await store.usersWithDailyDigest() == [s])
            await #expect(throws: StoreError.self) { try await store.saveUserSettings(UserSettings(userID: 7, timeZone: "Mars/Olympus")) }
            await #expect(throws: StoreError.self) { try await store.saveUserSettings(UserSettings(userID: 7, dailyHour: 24)) }
            #expect(try await store.userSettings(userID: 7) == nil)

            // Destinations and the email address (issue 18): round-trip, a bad address is refused, the default is
            // Telegram and the feed.
            #expect(try await store.userSettings(userID: 6)?.destinations == [.telegram, .feed])
            let mail = UserSettings(userID: 8, dailyDigest: true, destinations: [.email, .feed], email: "reader@example.com")
            try await store.saveUserSettings(mail)
            #expect(try await store.userSettings(userID: 8) == mail)
            #expect(try await store.usersWithDailyDigest() == [s, mail])
            var cleared = mail
            cleared.destinations = []
            cleared.email = nil
            try await store.saveUserSettings(cleared)
            #expect(try await store.userSettings(userID: 8) == cleared)
            await #expect(throws: StoreError.self) {
                try await store.saveUserSettings(UserSettings(userID: 9, email: "reader@example.com\r\nBcc: x@example.com"))
            }
            #expect(try await store.userSettings(userID: 9) == nil)

            #expect(try await store.stateValue("bot.offset") == nil)
            try await store.setStateValue("bot.offset", "100")
            try await store.setStateValue("bot.offset", "101")
            #expect(try await store.stateValue("bot.offset") == "101")
        }
    }
}
