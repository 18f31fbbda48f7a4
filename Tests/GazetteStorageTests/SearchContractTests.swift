import Foundation
import GazetteCore
@testable import GazetteStorage
import GazetteStorageTesting
import GazetteText
import Testing

/// Full-text search (issue 27): the same meaning on both stores.
@Suite("Store contract: full-text search")
struct SearchContractTests {
    /// The message ids of what user `userID` finds with `text`, best first.
    static func found(_ store: any GazetteStore, _ text: String, userID: Int64 = 1, scope: SearchScope = SearchScope(),
                      limit: Int = 50, offset: Int = 0) async throws -> [Int64] {
        try await store.searchPosts(userID: userID, query: try SearchQueryParser.parse(text), scope: scope, limit: limit,
                                    offset: offset).map(\.post.messageID)
    }

    static func save(_ store: any GazetteStore, _ channelID: Int64, _ posts: [Post]) async throws {
        let result = try await store.savePosts(posts, channelID: channelID, outcome: nil, dedupWindow: week)
        #expect(result.saved == posts.count)
    }

    @Test("inflections: «выборы» finds «выборах», \"election\" finds \"elections\"; ё is е", arguments: StoreKind.available)
    func inflections(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let c = try await store.subscribe(userID: 1, ref: tg("news_ru"), tags: []).channel
            try await Self.save(store, c.id, [
                post("news_ru", 1, "На выборах в Москве победил независимый кандидат", at: t0),
                post("news_ru", 2, "The elections in Ohio were calm", at: t0 + 60),
                post("news_ru", 3, "Новогодняя ёлка на Красной площади", at: t0 + 120),
                post("news_ru", 4, "Погода: дожди до пятницы", at: t0 + 180),
            ])
            #expect(try await Self.found(store, "выборы") == [1])
            #expect(try await Self.found(store, "ВЫБОРАМИ") == [1])
            #expect(try await Self.found(store, "election") == [2])
            #expect(try await Self.found(store, "Elected") == [2])
            #expect(try await Self.found(store, "елка") == [3])
            #expect(try await Self.found(store, "Москва") == [1])
            #expect(try await Self.found(store, "снег") == [])
        }
    }

    @Test("a phrase matches its words next to each other in order, in any inflection", arguments: StoreKind.available)
    func phrase(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let c = try await store.subscribe(userID: 1, ref: tg("city_news"), tags: []).channel
            try await Self.save(store, c.id, [
                post("city_news", 1, "С понедельника новые тарифы на метро", at: t0),
                post("city_news", 2, "Тарифы новые, а метро старое", at: t0 + 60),
                post("city_news", 3, "Новых правил и тарифов не будет", at: t0 + 120),
                post("city_news", 4, "Обсуждают новым тарифам на такси", at: t0 + 180),
            ])
            #expect(try await Self.found(store, "\"новые тарифы\"").sorted() == [1, 4])
            #expect(try await Self.found(store, "«новый тариф»").sorted() == [1, 4])
            #expect(try await Self.found(store, "новые тарифы").sorted() == [1, 2, 3, 4])
            #expect(try await Self.found(store, "\"тарифы на метро\"") == [1])
            // A hyphenated word is the phrase of its parts.
            try await Self.save(store, c.id, [post("city_news", 5, "Поезд Санкт-Петербург — Москва", at: t0 + 240),
                                              post("city_news", 6, "В Санкт и Петербург не доехали", at: t0 + 300)])
            #expect(try await Self.found(store, "санкт-петербурге") == [5])
        }
    }

    @Test("-word and -\"phrase\" leave posts out", arguments: StoreKind.available)
    func exclusion(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let c = try await store.subscribe(userID: 1, ref: tg("city_news"), tags: []).channel
            try await Self.save(store, c.id, [
                post("city_news", 1, "Метро закрыто на ремонт", at: t0),
                post("city_news", 2, "Метро: новые тарифы с понедельника", at: t0 + 60),
                post("city_news", 3, "Метро и новые автобусы", at: t0 + 120),
            ])
            #expect(try await Self.found(store, "метро -тарифы").sorted() == [1, 3])
            #expect(try await Self.found(store, "метро -ремонт -тарифов") == [3])
            #expect(try await Self.found(store, "метро -\"новые тарифы\"").sorted() == [1, 3])
            #expect(try await Self.found(store, "метро -\"новые автобусы\"").sorted() == [1, 2])
        }
    }

    @Test("prefix* matches words whose stem starts with it", arguments: StoreKind.available)
    func prefix(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let c = try await store.subscribe(userID: 1, ref: tg("power_grid"), tags: []).channel
            try await Self.save(store, c.id, [
                post("power_grid", 1, "Отключение электричества в центре", at: t0),
                post("power_grid", 2, "Новые электросамокаты в парках", at: t0 + 60),
                post("power_grid", 3, "Election results are in", at: t0 + 120),
                post("power_grid", 4, "Электрон и позитрон", at: t0 + 180),
            ])
            #expect(try await Self.found(store, "электр*").sorted() == [1, 2, 4])
            #expect(try await Self.found(store, "электрич*") == [1])
            #expect(try await Self.found(store, "elect*") == [3])
            #expect(try await Self.found(store, "электр* -парках").sorted() == [1, 4])
        }
    }

    @Test("a channel filter and a date range narrow the search", arguments: StoreKind.available)
    func channelAndDates(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let a = try await store.subscribe(userID: 1, ref: tg("alpha_news"), tags: []).channel
            let b = try await store.subscribe(userID: 1, ref: tg("beta_news"), tags: []).channel
            try await Self.save(store, a.id, [post("alpha_news", 1, "Бюджет принят", at: t0), post("alpha_news", 2, "Бюджет обсуждают", at: t0 + day)])
            try await Self.save(store, b.id, [post("beta_news", 1, "Бюджет урезан", at: t0 + 2 * day)])
            let all = try await store.searchPosts(userID: 1, query: try SearchQueryParser.parse("бюджет"), scope: SearchScope(),
                                                  limit: 10, offset: 0)
            #expect(all.map { "\($0.channel.key)/\($0.post.messageID)" } == ["beta_news/1", "alpha_news/2", "alpha_news/1"])
            #expect(all.allSatisfy { $0.channel.id == ($0.post.channel == "alpha_news" ? a.id : b.id) })
            #expect(try await Self.found(store, "бюджет", scope: SearchScope(channelID: a.id)) == [2, 1])
            #expect(try await Self.found(store, "бюджет", scope: SearchScope(since: t0 + day)) == [1, 2])
            #expect(try await Self.found(store, "бюджет", scope: SearchScope(until: t0 + day)) == [1])
            #expect(try await Self.found(store, "бюджет", scope: SearchScope(channelID: a.id, since: t0 + 1, until: t0 + 3 * day)) == [2])
            await #expect(throws: StoreError.invalidInput(field: "window", reason: "since is after until")) {
                _ = try await Self.found(store, "бюджет", scope: SearchScope(since: t0 + day, until: t0))
            }
        }
    }

    @Test("scope: user 2 never sees user 1's channels, even naming one; a shared channel is seen by both",
          arguments: StoreKind.available)
    func scope(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let own = try await store.subscribe(userID: 1, ref: tg("private_news"), tags: []).channel
            let shared = try await store.subscribe(userID: 1, ref: tg("shared"), tags: []).channel
            _ = try await store.subscribe(userID: 2, ref: tg("shared"), tags: [])
            try await Self.save(store, own.id, [post("private_news", 1, "Секретный бюджет", at: t0)])
            try await Self.save(store, shared.id, [post("shared", 1, "Открытый бюджет", at: t0)])
            #expect(try await Self.found(store, "бюджет", userID: 1).count == 2)
            let second = try await store.searchPosts(userID: 2, query: try SearchQueryParser.parse("бюджет"), scope: SearchScope(),
                                                     limit: 10, offset: 0)
            #expect(second.map(\.channel.key) == ["shared"])
            #expect(try await Self.found(store, "секретный", userID: 2) == [])
            #expect(try await Self.found(store, "бюджет", userID: 2, scope: SearchScope(channelID: own.id)) == [])
            #expect(try await Self.found(store, "бюджет", userID: 3) == [])
            // Unsubscribed: the posts stay stored (others may follow the channel) but leave the reader's results.
            #expect(try await store.unsubscribe(userID: 1, channelID: own.id))
            #expect(try await Self.found(store, "бюджет", userID: 1) == [1])
            #expect(try await Self.found(store, "секретный", userID: 1) == [])
        }
    }

    @Test("retention removes a post from the results, in the same transaction as the post; so does a deleted channel", arguments: StoreKind.available)
    func retention(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let c = try await store.subscribe(userID: 1, ref: tg("old_news"), tags: []).channel
            try await Self.save(store, c.id, (1...5).map { post("old_news", Int64($0), "Архив номер \($0): наводнение", at: t0 + Double($0) * day) })
            #expect(try await Self.found(store, "наводнение") == [5, 4, 3, 2, 1])
            #expect(try await store.deleteExpiredPosts(olderThan: t0 + 3.5 * day, batchSize: 2) == 3)
            #expect(try await Self.found(store, "наводнение") == [5, 4])
            #expect(try await Self.found(store, "архив") == [5, 4])
            #expect(try await Self.indexRows(store) == 2)
            // A deleted channel takes its posts and their index rows (a cascade on both stores).
            try await store.executeRaw("DELETE FROM channels WHERE id = \(c.id)")
            #expect(try await Self.indexRows(store) == 0)
        }
    }

    @Test("an edit replaces what a post is found by; a failed batch indexes nothing", arguments: StoreKind.available)
    func edits(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let c = try await store.subscribe(userID: 1, ref: tg("edited"), tags: []).channel
            try await Self.save(store, c.id, [post("edited", 7, "Концерт перенесли на субботу", at: t0)])
            #expect(try await Self.found(store, "субботу") == [7])
            try await store.upsertPost(post("edited", 7, "Концерт отменили", at: t0), channelID: c.id)
            #expect(try await Self.found(store, "суббота") == [])
            #expect(try await Self.found(store, "отменен") == [7])
            // An edited post that was not stored yet is stored and indexed.
            try await store.upsertPost(post("edited", 8, "Выставка открылась", at: t0 + 60), channelID: c.id)
            #expect(try await Self.found(store, "выставки") == [8])
            #expect(try await Self.indexRows(store) == 2)

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
                try await store.executeRaw("CREATE TRIGGER fail_on_666 BEFORE INSERT ON posts FOR EACH ROW EXECUTE FUNCTION fail_on_666()")
            }
            await #expect(throws: StoreError.self) {
                _ = try await store.savePosts([post("edited", 100, "Фестиваль начался", at: t0), post("edited", 666, "Фестиваль", at: t0)],
                                              channelID: c.id, outcome: nil, dedupWindow: week)
            }
            #expect(try await Self.found(store, "фестиваль") == [])
            #expect(try await Self.indexRows(store) == 2)
        }
    }

    @Test("relevance first, then the newer post; pages by limit and offset", arguments: StoreKind.available)
    func ranking(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let c = try await store.subscribe(userID: 1, ref: tg("ranked"), tags: []).channel
            // A post that repeats the word ranks above one of the same length that has it once; of two that have it
            // once, the shorter ranks first; equal ones, the newer first.
            try await Self.save(store, c.id, [
                post("ranked", 1, "Паводок, паводок и паводок в городе", at: t0),
                post("ranked", 2, "Паводок у моста в городе сегодня", at: t0 + 60),
                post("ranked", 3, "Паводок у моста в городе вчера", at: t0 + 120),
                post("ranked", 4, "В длинной заметке о погоде, ценах, дорогах, школах, театрах и выставках упомянут и паводок", at: t0 + 180),
            ] + (10...15).map { post("ranked", Int64($0), "Другая новость номер \($0) о городе", at: t0) })
            let ranked = try await Self.found(store, "паводок")
            #expect(ranked == [1, 3, 2, 4])
            #expect(try await Self.found(store, "паводок", limit: 2) == [1, 3])
            #expect(try await Self.found(store, "паводок", limit: 2, offset: 2) == [2, 4])
            #expect(try await Self.found(store, "паводок", limit: 2, offset: 4) == [])
            let hits = try await store.searchPosts(userID: 1, query: try SearchQueryParser.parse("паводок"), scope: SearchScope(),
                                                   limit: 10, offset: 0)
            #expect(hits[0].score > hits[1].score)
            #expect(hits[1].score == hits[2].score)
            #expect(hits[0].post.url == "https://t.me/ranked/1")
        }
    }

    @Test("what the user typed is a value: quotes and SQL in a query find nothing and break nothing", arguments: StoreKind.available)
    func hostileText(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let c = try await store.subscribe(userID: 1, ref: tg("safe_room"), tags: []).channel
            try await Self.save(store, c.id, [post("safe_room", 1, "Bobby Tables' school: students; DROP TABLE posts", at: t0)])
            // Query syntax of either engine is read as words (or refused by the parser, never by the database).
            for text in ["x'); DROP TABLE posts; --", "\"a\" OR 1=1 --", "NEAR(a b) AND c:*", "'a' & !'b' | 'c':*", "posts\\' --",
                         "bobby OR tables NOT school", "drop*", "school:* <-> tables", "{school} ^bobby"] {
                do {
                    _ = try await Self.found(store, text)
                } catch is SearchQueryError {
                    continue
                }
            }
            #expect(try await Self.found(store, "\"drop table posts\"") == [1])
            #expect(try await Self.found(store, "tables'") == [1])
            #expect(try await Self.indexRows(store) == 1)
            await #expect(throws: StoreError.invalidInput(field: "query", reason: "has no words to find")) {
                _ = try await store.searchPosts(userID: 1, query: SearchQuery(text: "", include: []), scope: SearchScope(),
                                                limit: 10, offset: 0)
            }
            await #expect(throws: StoreError.invalidInput(field: "query", reason: "has an empty word")) {
                _ = try await store.searchPosts(userID: 1, query: SearchQuery(text: "", include: [.phrase(["a", ""])]),
                                                scope: SearchScope(), limit: 10, offset: 0)
            }
            await #expect(throws: StoreError.self) {
                _ = try await store.searchPosts(userID: 0, query: try SearchQueryParser.parse("a"), scope: SearchScope(), limit: 10, offset: 0)
            }
        }
    }

    @Test("migration 9 indexes the posts stored before it, in batches that resume where they stopped", arguments: StoreKind.available)
    func backfill(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            // Back to version 8, as a database of the previous release: no index, posts written without one.
            try await store.executeRaw("DROP TABLE post_search")
            try await store.executeRaw("DROP TABLE search_backfill")
            if kind == .sqlite { try await store.executeRaw("DROP TRIGGER IF EXISTS post_search_follows_delete") }
            // The tables of the steps after 9 go too, so that migrating again can create them.
            for table in (kind == .sqlite ? SQLiteStore.tablesCreated(after: 9) : PostgresStore.tablesCreated(after: 9)) { try await store.executeRaw("DROP TABLE \(table)") }
            try await store.executeRaw("DELETE FROM schema_migrations WHERE version >= 9")
            _ = try await store.subscribe(userID: 1, ref: tg("before"), tags: [])
            let at = kind == .sqlite ? "\(t0.timeIntervalSince1970)" : "to_timestamp(\(t0.timeIntervalSince1970))"
            for id in 1...7 {
                try await store.executeRaw("""
                    INSERT INTO posts (channel_id, message_id, text, date, fetched_at)
                    VALUES ((SELECT id FROM channels WHERE key = 'before'), \(id), 'Старый пост \(id) про наводнения', \(at), \(at))
                    """)
            }
            switch store {
            case let sqlite as SQLiteStore:
                try await sqlite.migrate(through: 9)
                #expect(try await !sqlite.buildSearchIndex(batchSize: 3, maxBatches: 1))
            case let postgres as PostgresStore:
                try await postgres.migrate(through: 9)
                #expect(try await !postgres.buildSearchIndex(batchSize: 3, maxBatches: 1))
            default: Issue.record("unexpected store \(type(of: store))")
            }
            // Interrupted after one batch: the first three are found, the rest not yet; a new post is indexed as it comes.
            let c = try #require(try await store.channel(ref: tg("before")))
            try await Self.save(store, c.id, [post("before", 8, "Новый пост про наводнение", at: t0 + 60)])
            #expect(try await Self.found(store, "наводнение") == [8, 3, 2, 1])
            try await store.migrate()
            #expect(try await Self.found(store, "наводнение") == [8, 7, 6, 5, 4, 3, 2, 1])
            #expect(try await Self.indexRows(store) == 8)
            #expect(try await Self.backfillRows(store) == 0)
            try await store.migrate()
            #expect(try await Self.indexRows(store) == 8)
        }
    }

    static func indexRows(_ store: any RawSQLExecuting) async throws -> Int {
        try await store.countRaw("SELECT COUNT(*) FROM post_search")
    }

    static func backfillRows(_ store: any RawSQLExecuting) async throws -> Int {
        try await store.countRaw("SELECT COUNT(*) FROM search_backfill")
    }
}
