import Foundation
import GazetteCore
@testable import GazetteDigest
import GazetteText
import Testing

/// `PostSearch` and `AskChannels` on a real SQLite store (the contract tests cover both stores' matching).
@Suite struct SearchServiceTests {
    static let t0 = Date(timeIntervalSince1970: 1_764_000_000)

    static func post(_ channel: String, _ id: Int64, _ text: String, minutes: Double = 0) -> Post {
        Post(channel: channel, messageID: id, text: text, date: t0.addingTimeInterval(minutes * 60), url: "https://t.me/\(channel)/\(id)")
    }

    static func seedCity(_ store: any GazetteStore) async throws {
        try await seed(store, user: 1, channel: "moscow_today", title: "Москва сегодня", posts: [
            post("moscow_today", 1, "С понедельника новые тарифы на метро: проезд подорожает на 5 рублей.", minutes: 0),
            post("moscow_today", 2, "Метро закрывает станцию на ремонт до весны.", minutes: 10),
        ])
        try await seed(store, user: 1, channel: "city_wire", posts: [
            post("city_wire", 7, "Городские власти обсудили тарифы на такси и метро.", minutes: 20),
        ])
        // The reader muted this channel for digests; search still finds it.
        try await seed(store, user: 1, channel: "muted_news", posts: [post("muted_news", 3, "Тарифы ЖКХ вырастут летом.", minutes: 30)])
        _ = try await store.addReaderFilter(userID: 1, try ReaderFilter.make(kind: .mute, value: "muted_news"))
        _ = try await store.addReaderFilter(userID: 1, try ReaderFilter.make(kind: .exclude, value: "тарифы"))
        // Another reader's channel.
        try await seed(store, user: 2, channel: "other_reader", posts: [post("other_reader", 9, "Тарифы на метро в Казани.")])
    }

    @Test func findsWithSnippetsAndIgnoresDigestFilters() async throws {
        try await withStore { store in
            try await Self.seedCity(store)
            let page = try await PostSearch(store: store).search(PostSearch.Request(userID: 1, query: "тариф"))
            #expect(page.hits.map { "\($0.channel.key)/\($0.post.messageID)" }.sorted() == ["city_wire/7", "moscow_today/1", "muted_news/3"])
            #expect(page.nextOffset == nil)
            let first = try #require(page.hits.first { $0.channel.key == "moscow_today" })
            #expect(first.channel.metadata.title == "Москва сегодня")
            #expect(first.post.url == "https://t.me/moscow_today/1")
            #expect(first.snippet.markdownBold == "С понедельника новые **тарифы** на метро: проезд подорожает на 5 рублей.")
            #expect(page.query.text == "тариф")
        }
    }

    @Test func channelFilterOnlyAmongTheReadersChannels() async throws {
        try await withStore { store in
            try await Self.seedCity(store)
            let search = PostSearch(store: store)
            let only = try await search.search(PostSearch.Request(userID: 1, query: "метро", channel: "https://t.me/s/moscow_today"))
            #expect(only.hits.map(\.post.messageID) == [2, 1])
            await #expect(throws: SearchError.invalidArgument(argument: "channel", reason: "you do not follow other_reader")) {
                _ = try await search.search(PostSearch.Request(userID: 1, query: "метро", channel: "@other_reader"))
            }
            let bad = await #expect(throws: SearchError.self) {
                _ = try await search.search(PostSearch.Request(userID: 1, query: "метро", channel: "not a channel!"))
            }
            guard case .invalidArgument(let argument, _) = bad else { Issue.record("\(String(describing: bad))"); return }
            #expect(argument == "channel")
        }
    }

    @Test func datesPagesAndRefusals() async throws {
        try await withStore { store in
            try await Self.seedCity(store)
            let search = PostSearch(store: store)
            let recent = try await search.search(PostSearch.Request(userID: 1, query: "тарифы", since: Self.t0.addingTimeInterval(15 * 60)))
            #expect(recent.hits.map(\.post.messageID) == [3, 7])
            let first = try await search.search(PostSearch.Request(userID: 1, query: "тарифы", limit: 2))
            #expect(first.hits.count == 2 && first.nextOffset == 2)
            let second = try await search.search(PostSearch.Request(userID: 1, query: "тарифы", limit: 2, offset: 2))
            #expect(second.hits.count == 1 && second.nextOffset == nil)
            #expect(Set((first.hits + second.hits).map(\.post.messageID)) == [1, 3, 7])
            await #expect(throws: SearchError.invalidArgument(argument: "query", reason: "a quote is not closed: \"новые needs its closing quote")) {
                _ = try await search.search(PostSearch.Request(userID: 1, query: "\"новые"))
            }
            await #expect(throws: SearchError.invalidArgument(argument: "limit", reason: "expected 1…100, got 0")) {
                _ = try await search.search(PostSearch.Request(userID: 1, query: "метро", limit: 0))
            }
            await #expect(throws: SearchError.invalidArgument(argument: "since", reason: "is after until: the date range is reversed")) {
                _ = try await search.search(PostSearch.Request(userID: 1, query: "метро", since: Self.t0, until: Self.t0 - 1))
            }
        }
    }

    @Test func datesAsPeopleWriteThem() throws {
        let now = Self.t0
        #expect(try SearchDates.since("7d", now: now) == now.addingTimeInterval(-7 * 86_400))
        #expect(try SearchDates.since("24H", now: now) == now.addingTimeInterval(-86_400))
        #expect(try SearchDates.since("2w", now: now) == now.addingTimeInterval(-14 * 86_400))
        #expect(try SearchDates.since("2026-03-01", now: now) == Date(timeIntervalSince1970: 1_772_323_200))
        #expect(try SearchDates.until("2026-03-01", now: now) == Date(timeIntervalSince1970: 1_772_323_200 + 86_400))
        #expect(try SearchDates.since("2026-03-01T12:00:00Z", now: now) == Date(timeIntervalSince1970: 1_772_366_400))
        for bad in ["yesterday", "7", "0d", "-3d", "2026-13-01", "d"] {
            #expect(throws: SearchError.self) { try SearchDates.since(bad, now: now) }
        }
    }
}

@Suite struct AskChannelsTests {
    static func seedCity(_ store: any GazetteStore) async throws { try await SearchServiceTests.seedCity(store) }

    @Test func theLLMAnswersFromTheHitsWithinBoundsAndCitesThem() async throws {
        try await withStore { store in
            try await Self.seedCity(store)
            try await FakeLLMServer.with(reply: { _, _ in .answer("Проезд в метро подорожает на 5 рублей [1]; в такси тоже обсуждают [2, 9].") }) { url, log in
                let client = LLMClient(url: url, model: "test", apiKey: nil, metrics: nil)
                let answer = try await AskChannels(search: PostSearch(store: store), client: client)
                    .ask(userID: 1, question: "Что писали про тарифы на метро?")
                guard case .answered(let text) = answer.kind else { Issue.record("\(answer.kind)"); return }
                #expect(text.contains("[1]"))
                #expect(answer.cited == [1, 2])
                // All words find nothing («писали» too), so each word is searched alone: the posts with both «тариф» and
                // «метро» come first.
                #expect(answer.hits.prefix(2).map(\.post.messageID).sorted() == [1, 7])
                #expect(Set(answer.hits.map(\.post.messageID)) == [1, 2, 3, 7])
                let bodies = await log.bodies
                #expect(bodies.count == 1)
                let body = try #require(bodies.first)
                #expect(body.contains("Что писали про тарифы на метро?"))
                #expect(body.contains("[1] \(answer.hits[0].channel.displayName)"))
                #expect(!body.contains("Казани"))  // another reader's channel never reaches the LLM
                #expect(body.utf8.count < AskChannels.maxContextCharacters * 4)
            }
        }
    }

    @Test func withoutAnLLMOrWhenItFailsTheHitsAreTheAnswer() async throws {
        try await withStore { store in
            try await Self.seedCity(store)
            let none = try await AskChannels(search: PostSearch(store: store), client: nil).ask(userID: 1, question: "тарифы метро")
            #expect(none.kind == .noLLM)
            #expect(none.hits.count >= 2 && none.cited == Array(1...none.hits.count))
            try await FakeLLMServer.with(reply: { _, _ in FakeLLMServer.Reply(status: 500, body: "{}") }) { url, log in
                let client = LLMClient(url: url, model: "test", apiKey: nil,
                                       options: .init(timeout: .seconds(5), maxAttempts: 2, initialBackoff: .milliseconds(10)), metrics: nil)
                let failed = try await AskChannels(search: PostSearch(store: store), client: client).ask(userID: 1, question: "тарифы метро")
                guard case .llmFailed(let reason) = failed.kind else { Issue.record("\(failed.kind)"); return }
                #expect(reason.contains("500"))
                #expect(failed.hits.map(\.post.messageID) == none.hits.map(\.post.messageID))
                #expect(await log.bodies.count == 2)
            }
            let nothing = try await AskChannels(search: PostSearch(store: store), client: nil).ask(userID: 1, question: "вулканы Камчатки")
            #expect(nothing.kind == .nothingFound && nothing.hits.isEmpty)
            // A question with a stray quote is still a question.
            let quoted = try await AskChannels(search: PostSearch(store: store), client: nil).ask(userID: 1, question: "что с \"тарифами?")
            #expect(!quoted.hits.isEmpty)
        }
    }

    @Test func citationsAndContextBounds() {
        #expect(AskChannels.citations(in: "A [2]. B [1, 3] and [2] again; [x] [99]", count: 3) == [2, 1, 3])
        #expect(AskChannels.citations(in: "no citations", count: 3) == [])
    }
}
