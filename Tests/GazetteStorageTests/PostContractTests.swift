import Foundation
import GazetteCore
@testable import GazetteStorage
import Testing

@Suite("Store contract: posts")
struct PostContractTests {
    @Test("known message ids and cross-posts are skipped", arguments: StoreKind.available)
    func dedup(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let (c, _) = try await store.subscribe(userID: 1, ref: tg("dedup_chan"), tags: [])
            let first = try await store.savePosts([post("dedup_chan", 1, "Hello, world!"), post("dedup_chan", 2, "Second"),
                                                   post("dedup_chan", 3, "Third")],
                                                  channelID: c.id, outcome: nil, dedupWindow: week)
            #expect(first == SaveResult(saved: 3, skipped: 0, total: 3))

            // 2 and 3 are known; 4 is new.
            let again = try await store.savePosts([post("dedup_chan", 2, "Second"), post("dedup_chan", 3, "Third"),
                                                   post("dedup_chan", 4, "Fourth")],
                                                  channelID: c.id, outcome: nil, dedupWindow: week)
            #expect(again == SaveResult(saved: 1, skipped: 2, total: 3))

            // Same text (other case and punctuation) 3 days later → cross-post, skipped; 11 days later → kept.
            let cross = try await store.savePosts([post("dedup_chan", 10, "hello world", at: t0 + 3 * day),
                                                   post("dedup_chan", 11, "HELLO — WORLD!!", at: t0 + 11 * day)],
                                                  channelID: c.id, outcome: nil, dedupWindow: week)
            #expect(cross == SaveResult(saved: 1, skipped: 1, total: 2))

            // Inside one batch: a repeated id and a repeated text are each saved once.
            let inBatch = try await store.savePosts([post("dedup_chan", 20, "Unique text A", at: t0 + 1),
                                                     post("dedup_chan", 20, "Unique text A", at: t0 + 1),
                                                     post("dedup_chan", 21, "unique text a", at: t0 + 2)],
                                                    channelID: c.id, outcome: nil, dedupWindow: week)
            #expect(inBatch == SaveResult(saved: 1, skipped: 2, total: 3))

            // Out of order inside one batch: the oldest copy is kept wherever it stands, a copy two days later is
            // skipped, and one ten days after the kept copy is kept again.
            let unordered = try await store.savePosts([post("dedup_chan", 42, "Repeated note", at: t0 + 20 * day),
                                                       post("dedup_chan", 41, "Repeated note", at: t0 + 12 * day),
                                                       post("dedup_chan", 40, "Repeated note", at: t0 + 10 * day)],
                                                      channelID: c.id, outcome: nil, dedupWindow: week)
            #expect(unordered == SaveResult(saved: 2, skipped: 1, total: 3))

            // Media-only posts (no text) are never deduplicated by content.
            var photos = [post("dedup_chan", 30, "", at: t0 + 5), post("dedup_chan", 31, "", at: t0 + 6)]
            photos[0].media = [MediaSummary(kind: "photo", count: 2)]
            photos[1].media = [MediaSummary(kind: "photo", count: 1)]
            let media = try await store.savePosts(photos, channelID: c.id, outcome: nil, dedupWindow: week)
            #expect(media == SaveResult(saved: 2, skipped: 0, total: 2))

            // The same text in another channel is kept (collapsed later, in the digest).
            let (other, _) = try await store.subscribe(userID: 1, ref: tg("other_chan"), tags: [])
            let elsewhere = try await store.savePosts([post("other_chan", 1, "Hello, world!")], channelID: other.id,
                                                      outcome: nil, dedupWindow: week)
            #expect(elsewhere.saved == 1)

            let ids = try await allPosts(store, channelID: c.id).map(\.messageID).sorted()
            #expect(ids == [1, 2, 3, 4, 11, 20, 30, 31, 40, 42])
        }
    }

    @Test("a batch that fails half-way leaves no rows and does not advance state", arguments: StoreKind.available)
    func atomicBatch(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let (c, _) = try await store.subscribe(userID: 1, ref: tg("atomic_chan"), tags: [])
            let claimed = try await store.claimDueChannels(owner: "w1", now: t0, lease: 300, limit: 10)
            #expect(claimed.map(\.id) == [c.id])
            let before = try #require(try await store.fetchState(channelID: c.id))

            // A trigger makes the database itself fail on the third row, after two rows were written.
            switch kind {
            case .sqlite:
                try await store.executeRaw("""
                    CREATE TRIGGER fail_on_666 BEFORE INSERT ON posts WHEN NEW.message_id = 666
                    BEGIN SELECT RAISE(ABORT, 'boom on 666'); END
                    """)
            case .postgres:
                try await store.executeRaw("""
                    CREATE FUNCTION fail_on_666() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN IF NEW.message_id = 666 THEN RAISE EXCEPTION 'boom on 666'; END IF; RETURN NEW; END $$
                    """)
                try await store.executeRaw("""
                    CREATE TRIGGER fail_on_666 BEFORE INSERT ON posts FOR EACH ROW EXECUTE FUNCTION fail_on_666()
                    """)
            }
            let batch = [post("atomic_chan", 100, "a", at: t0), post("atomic_chan", 101, "b", at: t0 + 1),
                         post("atomic_chan", 666, "c", at: t0 + 2), post("atomic_chan", 102, "d", at: t0 + 3)]
            let error = await #expect(throws: StoreError.self) {
                _ = try await store.savePosts(batch, channelID: c.id,
                                              outcome: .success(at: t0, nextAttemptAt: t0 + 3600, etag: "e1", lastModified: nil),
                                              dedupWindow: week)
            }
            #expect(error?.description.contains("boom on 666") == true, "\(String(describing: error))")
            #expect(try await allPosts(store, channelID: c.id).isEmpty)
            #expect(try await store.fetchState(channelID: c.id) == before)

            // Invalid input is refused before anything is written, too.
            let invalid = await #expect(throws: StoreError.self) {
                _ = try await store.savePosts([post("atomic_chan", 1, "ok"), post("atomic_chan", 0, "bad id")], channelID: c.id,
                                              outcome: .success(at: t0, nextAttemptAt: nil, etag: nil, lastModified: nil), dedupWindow: week)
            }
            #expect(invalid == .invalidInput(field: "post.message_id", reason: "must be positive, got 0"))
            #expect(try await allPosts(store, channelID: c.id).isEmpty)
            #expect(try await store.fetchState(channelID: c.id) == before)
            await #expect(throws: StoreError.channelNotFound(424_242)) {
                _ = try await store.savePosts([post("x", 1, "t")], channelID: 424_242, outcome: nil, dedupWindow: week)
            }
        }
    }

    @Test("a successful batch advances fetch state in the same call", arguments: StoreKind.available)
    func successAdvancesState(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let (c, _) = try await store.subscribe(userID: 1, ref: tg("state_chan"), tags: [])
            _ = try await store.claimDueChannels(owner: "w1", now: t0, lease: 300, limit: 10)
            try await store.recordFetch(channelID: c.id, owner: "w1", outcome: .failure(at: t0, error: "timeout", nextAttemptAt: t0))
            _ = try await store.claimDueChannels(owner: "w1", now: t0 + 1, lease: 300, limit: 10)
            let result = try await store.savePosts([post("state_chan", 41, "x"), post("state_chan", 40, "y")], channelID: c.id,
                                                   outcome: .success(at: t0 + 5, nextAttemptAt: t0 + 3605, etag: "\"v1\"", lastModified: "Sat, 29 Nov 2026 10:00:00 GMT"),
                                                   dedupWindow: week)
            #expect(result.saved == 2)
            let state = try #require(try await store.fetchState(channelID: c.id))
            #expect(state == FetchState(channelID: c.id, lastMessageID: 41, lastSuccessAt: t0 + 5, lastError: nil,
                                        consecutiveFailures: 0, nextAttemptAt: t0 + 3605, leaseOwner: nil, leaseUntil: nil,
                                        etag: "\"v1\"", lastModified: "Sat, 29 Nov 2026 10:00:00 GMT"))
            // Older ids never move last_message_id backwards; an empty success keeps it.
            _ = try await store.savePosts([post("state_chan", 7, "old")], channelID: c.id,
                                          outcome: .success(at: t0 + 6, nextAttemptAt: nil, etag: nil, lastModified: nil), dedupWindow: week)
            try await store.recordFetch(channelID: c.id, owner: "w1", outcome: .success(at: t0 + 7, nextAttemptAt: nil, etag: nil, lastModified: nil))
            #expect(try await store.fetchState(channelID: c.id)?.lastMessageID == 41)
        }
    }

    @Test("Cyrillic, emoji and odd characters round-trip exactly", arguments: StoreKind.available)
    func roundTrip(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let (c, _) = try await store.subscribe(userID: 1, ref: tg("unicode_chan"), tags: ["новости", "🚀"])
            let text = "Привет, мир! 👋🏽 Ёжик в тумане — «кавычки» 'single' \"double\" \\ back; DROP TABLE posts; -- 中文 עברית 👨‍👩‍👧"
            var p = Post(channel: "unicode_chan", messageID: 9, text: text, html: "<b>Привет</b>, <a href=\"https://x.y/?a=1&b=2\">мир</a>",
                         date: Date(timeIntervalSince1970: 1_764_000_123.5), views: 37_200, url: "https://t.me/unicode_chan/9",
                         media: [MediaSummary(kind: "photo", count: 3), MediaSummary(kind: "video", count: 1)],
                         forwardedFrom: "Канал 📣", linkPreviewTitle: "Заголовок", fetchedAt: Date(timeIntervalSince1970: 1_764_000_200))
            _ = try await store.savePosts([p], channelID: c.id, outcome: nil, dedupWindow: week)
            let stored = try #require(try await allPosts(store, channelID: c.id).first)
            #expect(stored == p)
            #expect(try await store.subscriptions(userID: 1, limit: 5).first?.subscription.tags == ["новости", "🚀"])

            // An edit replaces the text in place.
            p.text = "Исправлено ✅"
            p.views = nil
            try await store.upsertPost(p, channelID: c.id)
            let edited = try #require(try await allPosts(store, channelID: c.id).first)
            #expect(edited.text == "Исправлено ✅")
            #expect(edited.views == 37_200, "unknown views keep the known count")

            // NUL cannot be stored by PostgreSQL; both stores drop it the same way.
            _ = try await store.savePosts([post("unicode_chan", 10, "a\u{0}b", at: t0)], channelID: c.id, outcome: nil, dedupWindow: week)
            #expect(try await allPosts(store, channelID: c.id).first { $0.messageID == 10 }?.text == "ab")
        }
    }

    @Test("retention deletes old posts in bounded batches", arguments: StoreKind.available)
    func retention(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let (c, _) = try await store.subscribe(userID: 1, ref: tg("retention_chan"), tags: [])
            let old = (1...25).map { post("retention_chan", Int64($0), "old \($0)", at: t0 - 8 * day + Double($0)) }
            let fresh = (26...30).map { post("retention_chan", Int64($0), "fresh \($0)", at: t0 - day + Double($0)) }
            _ = try await store.savePosts(old + fresh, channelID: c.id, outcome: nil, dedupWindow: week)
            #expect(try await store.deleteExpiredPosts(olderThan: t0 - week, batchSize: 7) == 25)
            #expect(try await allPosts(store, channelID: c.id).map(\.messageID).sorted() == Array(26...30))
            #expect(try await store.deleteExpiredPosts(olderThan: t0 - week, batchSize: 7) == 0)
        }
    }

    @Test("window query: busiest channels first, newest posts first, limits and bounds", arguments: StoreKind.available)
    func window(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            var ids: [Int64] = []
            for i in 1...12 {
                let name = "window_chan_\(String(format: "%02d", i))"
                let (c, _) = try await store.subscribe(userID: 5, ref: tg(name), tags: [])
                ids.append(c.id)
                // Channel i gets i posts in the window, plus one before and one after it.
                var batch = (1...i).map { post(name, Int64($0), "\(name) post \($0)", at: t0 + Double($0) * 60) }
                batch.append(post(name, 1000, "\(name) too old", at: t0 - 1))
                batch.append(post(name, 1001, "\(name) too new", at: t0 + day))
                _ = try await store.savePosts(batch, channelID: c.id, outcome: nil, dedupWindow: week)
            }
            let (foreign, _) = try await store.subscribe(userID: 6, ref: tg("not_mine_chan"), tags: [])
            _ = try await store.savePosts((1...50).map { post("not_mine_chan", $0, "noise \($0)", at: t0 + Double($0)) },
                                          channelID: foreign.id, outcome: nil, dedupWindow: week)

            let result = try await store.posts(forUser: 5, since: t0, until: t0 + day,
                                               limits: WindowLimits(maxChannels: 10, maxPostsPerChannel: 3))
            #expect(result.count == 10)
            #expect(result.map(\.channel.id) == Array(ids.reversed().prefix(10)))
            #expect(result[0].posts.map(\.messageID) == [12, 11, 10])
            #expect(result.allSatisfy { $0.posts.count == 3 })
            #expect(!result.contains { $0.channel.id == foreign.id })
            let newest = try await store.newestPostID(forUser: 5, since: t0)
            #expect(newest != nil)
            #expect(try await store.newestPostID(forUser: 99, since: t0) == nil)
        }
    }
}
