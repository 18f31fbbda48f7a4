import Foundation
import GazetteCore
import GazetteText
import Testing
@testable import GazetteDigest

@Suite struct StemmerTests {
    @Test func russianAndEnglishInflectionsShareAStem() {
        Stemmer.with { s in
            #expect(s.stem("выборы") == s.stem("выборах"))
            #expect(s.stem("компания") == s.stem("компанию"))
            #expect(s.stem("election") == s.stem("elections"))
            #expect(s.stem("launched") == s.stem("launch"))
            #expect(s.stem("выборы") != s.stem("выход"))
        }
    }

    @Test func featuresKeepNumbersAndNames() {
        let f = Stemmer.with { Terms.features("Банк России сохранил ставку 16,5% в 2026. Набиуллина выступила.", stemmer: $0) }
        #expect(f.numbers.contains("16.5"))
        #expect(f.numbers.contains("2026"))
        #expect(f.entities.contains(Stemmer.with { $0.stem("россии") }))
        #expect(!f.entities.contains(Stemmer.with { $0.stem("банк") }))  // starts the sentence
    }
}

@Suite struct StoryDigestTests {
    static let now = Date(timeIntervalSince1970: 1_796_000_000)

    static func channel(_ id: Int64, _ key: String, _ title: String) -> Channel {
        Channel(id: id, ref: .telegram(username: key), metadata: ChannelMetadata(title: title), createdAt: Date(timeIntervalSince1970: 0))
    }

    static func post(_ key: String, _ id: Int64, _ minutesAgo: Double, _ views: Int, _ text: String) -> Post {
        Post(channel: key, messageID: id, text: text, date: now.addingTimeInterval(-minutesAgo * 60), views: views,
             url: "https://t.me/\(key)/\(id)")
    }

    static let groups: [ChannelPosts] = [
        ChannelPosts(channel: channel(1, "alpha_news", "Альфа"), posts: [
            post("alpha_news", 11, 50, 900, "ЦБ сохранил ключевую ставку на уровне 16,5% годовых, сообщил регулятор."),
            post("alpha_news", 12, 40, 300, "В парке открыли новый каток с искусственным льдом."),
        ]),
        ChannelPosts(channel: channel(2, "beta_news", "Бета"), posts: [
            post("beta_news", 21, 45, 5000, "Банк России оставил ключевую ставку без изменений — 16,5%."),
            post("beta_news", 22, 30, 4000, "Синоптики обещают снегопад на выходных."),
        ]),
        ChannelPosts(channel: channel(3, "gamma_news", "Гамма"), posts: [
            post("gamma_news", 31, 20, 100, "Ключевая ставка ЦБ осталась на уровне 16,5%: регулятор сохранил её."),
        ]),
    ]

    @Test func topStoriesComeFirstAndChannelSectionsReferToThem() async {
        var options = DigestOptions(topStories: 2)
        options.language = .russian
        let metadata = DigestMetadata(since: Self.now.addingTimeInterval(-24 * 3600), until: Self.now)
        let result = await DigestService.build(Self.groups, metadata: metadata, summarizer: ExtractiveSummarizer(), options: options)
        let md = result.markdown
        let headings = md.split(separator: "\n").filter { $0.hasPrefix("## ") }.map(String.init)
        #expect(headings == ["## Содержание", "## Обзор", "## Главные сюжеты", "## Альфа", "## Бета", "## Гамма"])
        let top = try! #require(result.stories?.first)
        #expect(top.corroboration == 3)
        #expect(Set(top.posts.map(\.id)) == ["alpha_news/11", "beta_news/21", "gamma_news/31"])
        let first = md.components(separatedBy: "### 1. ")[1].components(separatedBy: "\n### ")[0]
        for link in ["https://t.me/alpha_news/11", "https://t.me/beta_news/21", "https://t.me/gamma_news/31"] {
            #expect(first.contains(link))
        }
        // The channel section does not repeat the story: a one-line reference.
        let gamma = md.components(separatedBy: "## Гамма")[1]
        #expect(gamma.contains("Все посты канала — в главных сюжетах: №1."))
        #expect(!gamma.contains("gamma_news/31)"))
        #expect(md.components(separatedBy: "\n### ").count - 1 == 2)
    }

    /// Issue 25, layout: a single-post story prints its headline once; the link line gives the channel and time, or
    /// the post's own first line when that differs from the headline (the summary's source is another post).
    @Test func aSinglePostStoryPrintsItsHeadlineOnce() {
        let single = StoryClusterer.stories([ChannelPosts(channel: Self.channel(4, "delta_news", "Дельта"), posts: [
            Self.post("delta_news", 41, 10, 700, "В парке Горького открыли новый каток. Вход свободный, прокат коньков — 300 рублей."),
        ])], now: Self.now)
        let block = DigestFormatter().block(try! #require(single.first), number: 1, words: DigestWords(.russian))
        #expect(block.components(separatedBy: "В парке Горького открыли новый каток").count - 1 == 1, "\(block)")
        #expect(block.contains("- [Дельта, "))
        #expect(block.contains("](https://t.me/delta_news/41)\n") || block.hasSuffix("](https://t.me/delta_news/41)"))
        // A merged post whose first line differs from the headline keeps it.
        var story = try! #require(single.first)
        story.posts.append(StoryPost(channel: "eps", channelTitle: "Эпсилон", messageID: 5, url: "https://t.me/eps/5", date: Self.now,
                                     views: 10, excerpt: "Каток в парке Горького заработал"))
        let two = DigestFormatter().block(story, number: 1, words: DigestWords(.russian))
        #expect(two.contains("— Каток в парке Горького заработал"))
        #expect(DigestFormatter.repeats("Очень длинный заголовок поста, который был сокращён…", "Очень длинный заголовок поста, который был"))
        #expect(!DigestFormatter.repeats("Каток заработал", "В парке открыли каток"))
    }

    /// Forwards count where the source gives them (the user account): of two otherwise equal stories, the forwarded
    /// one ranks first.
    @Test func forwardsRaiseAStory() {
        var a = Self.post("alpha_news", 1, 30, 500, "Первый сюжет о новом мосте через реку.")
        let b = Self.post("alpha_news", 2, 30, 500, "Второй сюжет о выставке современного искусства.")
        a.forwards = 0
        var forwarded = b
        forwarded.forwards = 300
        let groups = [ChannelPosts(channel: Self.channel(1, "alpha_news", "Альфа"), posts: [a, forwarded])]
        #expect(StoryClusterer.stories(groups, now: Self.now).first?.key == "alpha_news/2")
        let plain = [ChannelPosts(channel: Self.channel(1, "alpha_news", "Альфа"), posts: [a, b])]
        #expect(StoryClusterer.stories(plain, now: Self.now).first?.key == "alpha_news/1")
    }

    @Test func byChannelKeepsTheEarlierLayout() async {
        var options = DigestOptions(byChannel: true)
        options.language = .english
        let metadata = DigestMetadata(since: Self.now.addingTimeInterval(-24 * 3600), until: Self.now)
        let result = await DigestService.build(Self.groups, metadata: metadata, summarizer: ExtractiveSummarizer(), options: options)
        #expect(!result.markdown.contains("### "))
        #expect(!result.markdown.contains("Top stories"))
        #expect(result.stories == nil)
    }

    @Test func textFallbackFollowsTheSameOrder() async {
        var options = DigestOptions(topStories: 1)
        options.language = .english
        let metadata = DigestMetadata(since: Self.now.addingTimeInterval(-24 * 3600), until: Self.now)
        let result = await DigestService.build(Self.groups, metadata: metadata, summarizer: ExtractiveSummarizer(), options: options)
        let text = TextDigest.render(result, style: .plain)
        let top = try! #require(text.range(of: "Top stories"))
        let channel = try! #require(text.range(of: "Бета — 2 posts"))
        #expect(top.lowerBound < channel.lowerBound)
        #expect(text.contains("https://t.me/gamma_news/31"))
    }

    /// Gazette's own words in a Russian digest are Russian: with the post texts, channel names, handles, links and
    /// the chart's machine-readable block taken out, no word with a Latin letter is left.
    @Test func aRussianDigestHasNoEnglishWordOfItsOwn() async throws {
        let posts = try LabelledSet.load("labelled.jsonl").filter { p in
            DigestLanguage.detect([p.text]) == .russian
                && !(p.text + p.title).unicodeScalars.contains { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
        }
        #expect(posts.count > 50)
        let groups = LabelledSet.groups(posts)
        let now = LabelledSet.now(posts)
        let metadata = DigestMetadata(since: now.addingTimeInterval(-48 * 3600), until: now, hiddenByFilters: 3)
        let result = await DigestService.build(groups, metadata: metadata, summarizer: ExtractiveSummarizer(), options: DigestOptions(maxChannels: 100))
        #expect(result.metadata.language == .russian)
        for document in [result.markdown, TextDigest.render(result, style: .plain)] {
            var text = document
            if let start = text.range(of: "```gazette-chart"), let end = text.range(of: "```", range: start.upperBound..<text.endIndex) {
                text.removeSubrange(start.lowerBound..<end.upperBound)
            }
            text = text.replacing(/https?:\/\/\S+?(?=[)\s]|$)/, with: "").replacing(/@[A-Za-z0-9_\\]+/, with: "")
            let latin = text.split(whereSeparator: { !$0.isLetter && $0 != "_" }).filter { $0.contains(where: { $0.isASCII && $0.isLetter }) }
            #expect(latin.isEmpty, "Latin words: \(Set(latin))")
            #expect(text.contains("Главные сюжеты") || document != result.markdown)
        }
    }
}
