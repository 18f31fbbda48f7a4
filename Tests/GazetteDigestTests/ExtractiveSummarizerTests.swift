import Foundation
import GazetteCore
import Testing
@testable import GazetteDigest

@Suite struct ExtractiveSummarizerTests {
    @Test func russianSummaryIsAboutTheMainTopicAndLinksToPosts() async throws {
        let summary = await ExtractiveSummarizer().summarize(SamplePosts.russian, channel: "avto_tech", maxSentences: 3)
        #expect(summary.language == .russian)
        #expect(summary.method == .extractive)
        #expect(summary.postCount == 5)
        #expect(summary.totalViews == 61_800)
        #expect(summary.points.count == 3)
        let first = try #require(summary.points.first)
        #expect(first.text.contains("электромобил") || first.text.contains("батаре"))
        #expect(!summary.points.contains { $0.text.contains("фестиваль") })
        for point in summary.points {
            let link = try #require(point.links.first)
            #expect(link.hasPrefix("https://t.me/avto_tech/10"))
        }
        #expect(summary.summary.hasPrefix("- "))
        #expect(summary.summary.contains("[→](https://t.me/avto_tech/"))
        #expect(summary.topPosts.map(\.messageID) == [101, 105, 103])
    }

    @Test func englishSummaryPrefersCentralSentencesFromDifferentPosts() async throws {
        let summary = await ExtractiveSummarizer().summarize(SamplePosts.english, channel: "space_wire", maxSentences: 4)
        #expect(summary.language == .english)
        #expect(summary.points.count == 4)
        #expect(summary.points.allSatisfy { $0.text.lowercased().contains("lunar") || $0.text.lowercased().contains("launch")
            || $0.text.lowercased().contains("mission") || $0.text.lowercased().contains("crew") })
        #expect(!summary.points.contains { $0.text.contains("newsletter") })
        // Different posts first: four points come from four posts.
        #expect(Set(summary.points.compactMap(\.links.first)).count == 4)
        // Abbreviations did not cut sentences.
        #expect(!summary.points.contains { $0.text == "Dr." || $0.text.hasSuffix(" Dr.") })
    }

    @Test func sameInputGivesTheSameSummary() async {
        let a = await ExtractiveSummarizer().summarize(SamplePosts.english + SamplePosts.russian, channel: "mix", maxSentences: 5)
        let b = await ExtractiveSummarizer().summarize(SamplePosts.english + SamplePosts.russian, channel: "mix", maxSentences: 5)
        #expect(a == b)
    }

    @Test(arguments: [1, 2, 5, 8])
    func respectsMaxSentences(_ n: Int) async {
        let summary = await ExtractiveSummarizer().summarize(SamplePosts.english + SamplePosts.russian, channel: "mix", maxSentences: n)
        #expect(summary.points.count == n)
    }

    @Test func summaryNeverExceeds3000Characters() async {
        let long = (0..<100).map { i in
            SamplePosts.post("big", Int64(i), String(repeating: "Очень длинное предложение номер \(i) про новую батарею электромобиля ", count: 12) + ".",
                             views: i * 10)
        }
        let summary = await ExtractiveSummarizer().summarize(long, channel: "big", maxSentences: 50)
        #expect(summary.summary.count <= ChannelSummary.maxCharacters)
        #expect(!summary.points.isEmpty)
    }

    @Test func postsWithoutTextAreDescribedNotDropped() async {
        var post = SamplePosts.post("photos", 1, "")
        post.media = [MediaSummary(kind: "photo", count: 3)]
        let summary = await ExtractiveSummarizer().summarize([post], channel: "photos", maxSentences: 5)
        #expect(summary.summary.contains("1 post without text (photo × 3)"))
        let empty = await ExtractiveSummarizer().summarize([], channel: "none", maxSentences: 5)
        #expect(empty.postCount == 0)
        #expect(empty.summary == "- No new posts.")
    }

    @Test func markdownInPostsIsEscaped() async {
        let post = SamplePosts.post("inject", 1, "Click [here](javascript:alert(1)) or see **bold** news # today.")
        let summary = await ExtractiveSummarizer().summarize([post], channel: "inject", maxSentences: 1)
        #expect(summary.summary.contains(#"\[here\](javascript:alert(1))"#))
        #expect(summary.summary.contains(#"\*\*bold\*\*"#))
    }
}
