import Foundation
import GazetteCore
import Testing
@testable import GazetteBot

@Suite("/search against a fake Bot API")
struct SearchCommandTests {
    let user = Updates.userID

    @Test func topHitsAsLinksWithBoldWordsAndErrorsInWords() async throws {
        let h = try await BotHarness.make()
        do {
            try await run(h)
        } catch {
            await h.shutdown()
            throw error
        }
        await h.shutdown()
    }

    func run(_ h: BotHarness) async throws {
        let (channel, _) = try await h.store.subscribe(userID: user, ref: .telegram(username: "city_news"), tags: [])
        try await h.store.updateChannelMetadata(channelID: channel.id, ChannelMetadata(title: "City <News>"))
        let now = Date()
        _ = try await h.store.savePosts((1...7).map { i in
            Post(channel: "city_news", messageID: Int64(i), text: "Выпуск \(i): новые тарифы на метро & такси <b>", date: now - Double(i) * 60,
                 url: "https://t.me/city_news/\(i)")
        } + [Post(channel: "city_news", messageID: 50, text: "Погода на выходные", date: now, url: "https://t.me/city_news/50")],
            channelID: channel.id, outcome: nil, dedupWindow: 0)
        // Another user's channel is never searched.
        let (other, _) = try await h.store.subscribe(userID: 42, ref: .telegram(username: "elsewhere"), tags: [])
        _ = try await h.store.savePosts([Post(channel: "elsewhere", messageID: 1, text: "Тарифы в другом городе", date: now)],
                                        channelID: other.id, outcome: nil, dedupWindow: 0)

        try await h.push(Updates.text(1, "/search тарифов"))
        try await h.push(Updates.text(2, "/search \"новые тарифы"))
        try await h.push(Updates.text(3, "/search"))
        try await h.push(Updates.text(4, "/search вулкан"))
        try await h.poll(until: "four answers") { await h.api.state.calls("sendMessage").count == 4 }
        let texts = await h.api.state.calls("sendMessage").compactMap(\.text)

        let hits = texts[0]
        #expect(hits.hasPrefix("🔎 <b>тарифов</b>:"))
        #expect(hits.contains(#"1. <a href="https://t.me/city_news/1">City &lt;News&gt; · "#))
        #expect(hits.contains("новые <b>тарифы</b> на метро &amp; такси &lt;b&gt;"))
        #expect(!hits.contains("elsewhere") && !hits.contains("city_news/50"))
        #expect(hits.components(separatedBy: "<a href=").count - 1 == BotHandler.searchHits)
        #expect(hits.contains("More posts match"))
        #expect(texts[1].contains("⚠️ a quote is not closed"))
        #expect(texts[2].contains("/search metro tariffs"))
        #expect(texts[3].contains("Nothing in your channels matches <b>вулкан</b>"))
        #expect(texts.allSatisfy { $0.utf16.count <= 4096 })
    }
}
