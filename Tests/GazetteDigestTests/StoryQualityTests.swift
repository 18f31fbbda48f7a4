import Foundation
import GazetteCore
import GazetteTestSupport
import Testing
@testable import GazetteDigest

/// The labelled set in `Tests/Fixtures/stories` (see its README): posts that report the same event carry the same
/// story label. Quality is measured on pairs of posts: a pair is "same story" when the clusterer put both posts in
/// one story. Precision: of the pairs it merged, how many carry the same label; recall: of the pairs with the same
/// label, how many it merged.
struct LabelledPost: Decodable {
    var channel: String
    var title: String
    var message_id: Int64
    var date: String
    var views: Int
    var story: String
    var text: String
}

enum LabelledSet {
    static func load(_ file: String) throws -> [LabelledPost] {
        let text = try String(decoding: TestFixtures.data("stories/\(file)"), as: UTF8.self)
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").map { try decoder.decode(LabelledPost.self, from: Data($0.utf8)) }
    }

    static func groups(_ posts: [LabelledPost]) -> [ChannelPosts] {
        var order: [String] = []
        var byChannel: [String: [LabelledPost]] = [:]
        for p in posts {
            if byChannel[p.channel] == nil { order.append(p.channel) }
            byChannel[p.channel, default: []].append(p)
        }
        let iso = ISO8601DateFormatter()
        return order.enumerated().map { i, key in
            let list = byChannel[key]!
            let channel = Channel(id: Int64(i + 1), ref: .telegram(username: key), metadata: ChannelMetadata(title: list[0].title),
                                  createdAt: Date(timeIntervalSince1970: 0))
            return ChannelPosts(channel: channel, posts: list.map { p in
                Post(channel: key, messageID: p.message_id, text: p.text, date: iso.date(from: p.date)!, views: p.views,
                     url: "https://t.me/\(key)/\(p.message_id)")
            })
        }
    }

    static func now(_ posts: [LabelledPost]) -> Date {
        let iso = ISO8601DateFormatter()
        return posts.compactMap { iso.date(from: $0.date) }.max()!.addingTimeInterval(3600)
    }

    /// Pairwise precision and recall of the stories against the labels.
    static func score(_ stories: [Story], labels: [String: String]) -> (precision: Double, recall: Double, tp: Int, fp: Int, fn: Int) {
        var cluster: [String: Int] = [:]
        for (i, s) in stories.enumerated() { for p in s.posts { cluster[p.id] = i } }
        let ids = labels.keys.sorted()
        var tp = 0, fp = 0, fn = 0
        for a in 0..<ids.count {
            for b in (a + 1)..<ids.count {
                let predicted = cluster[ids[a]] == cluster[ids[b]]
                let truth = labels[ids[a]] == labels[ids[b]]
                if predicted && truth { tp += 1 } else if predicted { fp += 1 } else if truth { fn += 1 }
            }
        }
        return (Double(tp) / Double(max(1, tp + fp)), Double(tp) / Double(max(1, tp + fn)), tp, fp, fn)
    }

    static func labels(_ posts: [LabelledPost]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: posts.map { ("\($0.channel)/\($0.message_id)", $0.story) })
    }
}

@Suite struct StoryQualityTests {
    @Test func theLabelledSetIsLargeEnoughAndMixed() throws {
        let posts = try LabelledSet.load("labelled.jsonl")
        #expect(posts.count >= 200)
        let russian = posts.filter { DigestLanguage.detect([$0.text]) == .russian }.count
        #expect(russian >= 80 && posts.count - russian >= 80)
        #expect(Set(posts.map(\.story)).count >= 80)
    }

    @Test func precisionAndRecallOnTheWholeSetMeetTheTargets() throws {
        let posts = try LabelledSet.load("labelled.jsonl")
        let stories = StoryClusterer.stories(LabelledSet.groups(posts), now: LabelledSet.now(posts))
        #expect(stories.reduce(0) { $0 + $1.posts.count } == posts.count)
        let q = LabelledSet.score(stories, labels: LabelledSet.labels(posts))
        print("stories quality on \(posts.count) labelled posts: precision \(q.precision) recall \(q.recall) (tp \(q.tp) fp \(q.fp) fn \(q.fn))")
        // Since issue 25 a regression set: its paraphrases by alias (ЦБ / Банк России, Spurs / Tottenham) and its
        // follow-ups (a regulator's check after a landing, a coach's comment after a match), which the narrow definition
        // now counts as other stories, are merged less often. Bounds: measured 1.0 / 0.775 minus 0.03.
        #expect(q.precision >= 0.97)
        #expect(q.recall >= 0.745)
        if ProcessInfo.processInfo.environment["GAZETTE_STORY_SWEEP"] != nil {
            for threshold in stride(from: 0.18, through: 0.36, by: 0.02) {
                for floor in [0.0, 0.05, 0.1, 0.15, 0.2] {
                    let options = StoryOptions(threshold: threshold, minimumCosine: 0.1, conflictPenalty: floor)
                    let s = StoryClusterer.stories(LabelledSet.groups(posts), options: options, now: LabelledSet.now(posts))
                    let r = LabelledSet.score(s, labels: LabelledSet.labels(posts))
                    print("sweep threshold \(threshold) floor \(floor): P \(r.precision) R \(r.recall)")
                }
            }
            let labels = LabelledSet.labels(posts)
            for s in stories where Set(s.posts.map { labels[$0.id]! }).count > 1 {
                print("MERGED WRONG:", s.posts.map { "\(labels[$0.id]!): \($0.excerpt.prefix(50))" })
            }
            var byLabel: [String: Set<String>] = [:]
            for s in stories { for p in s.posts { byLabel[labels[p.id]!, default: []].insert(s.key) } }
            for (label, keys) in byLabel.sorted(by: { $0.key < $1.key }) where keys.count > 1 { print("SPLIT:", label, keys.count) }
        }
    }

    /// `heldout.jsonl` was written after the options were tuned on `labelled.jsonl` and never tuned on. Its own
    /// numbers are printed and held to looser bounds (it is small); the whole set (both files) is held to the targets.
    @Test func heldOutPartAndWholeSet() throws {
        let heldOut = try LabelledSet.load("heldout.jsonl")
        let h = LabelledSet.score(StoryClusterer.stories(LabelledSet.groups(heldOut), now: LabelledSet.now(heldOut)),
                                  labels: LabelledSet.labels(heldOut))
        print("stories quality on \(heldOut.count) held-out posts: precision \(h.precision) recall \(h.recall) (tp \(h.tp) fp \(h.fp) fn \(h.fn))")
        #expect(h.precision >= 0.97)
        #expect(h.recall >= 0.88)
        let whole = try LabelledSet.load("labelled.jsonl") + heldOut
        let w = LabelledSet.score(StoryClusterer.stories(LabelledSet.groups(whole), now: LabelledSet.now(whole)),
                                  labels: LabelledSet.labels(whole))
        print("stories quality on the whole set, \(whole.count) posts: precision \(w.precision) recall \(w.recall) (tp \(w.tp) fp \(w.fp) fn \(w.fn))")
        #expect(w.precision >= 0.97)
        #expect(w.recall >= 0.76)
    }

    /// The "must show" digest: every story block lists the links of exactly the posts of its story.
    @Test func everyStoryBlockLinksAllItsPostsAndNoOthers() async throws {
        let posts = try LabelledSet.load("labelled.jsonl")
        let groups = LabelledSet.groups(posts)
        let now = LabelledSet.now(posts)
        let all = StoryClusterer.stories(groups, now: now)
        var options = DigestOptions(maxChannels: 100, topStories: all.count)
        options.language = .english
        let metadata = DigestMetadata(since: now.addingTimeInterval(-48 * 3600), until: now)
        let result = await DigestService.build(groups, metadata: metadata, summarizer: ExtractiveSummarizer(), options: options)
        let blocks = result.markdown.components(separatedBy: "\n### ").dropFirst()
        #expect(blocks.count == all.count)
        for (block, story) in zip(blocks, result.stories ?? []) {
            let body = block.components(separatedBy: "\n## ").first!
            let links = Set(body.matches(of: /\]\((https:\/\/t\.me\/[^)]+)\)/).map { String($0.output.1) })
            #expect(links == Set(story.posts.compactMap(\.url)), "story \(story.title)")
        }
        let linked = blocks.reduce(0) { $0 + $1.components(separatedBy: "\n## ").first!.matches(of: /\]\(https:\/\/t\.me\//).count }
        #expect(linked == posts.count)
        #expect(!result.markdown.contains("\n#### "))
        // `GAZETTE_STORIES_DIGEST_OUT=path`: the digest for reading, with a closing note on quality over the whole set.
        if let path = ProcessInfo.processInfo.environment["GAZETTE_STORIES_DIGEST_OUT"] {
            let whole = posts + (try LabelledSet.load("heldout.jsonl"))
            let q = LabelledSet.score(StoryClusterer.stories(LabelledSet.groups(whole), now: LabelledSet.now(whole)),
                                      labels: LabelledSet.labels(whole))
            let own = LabelledSet.score(all, labels: LabelledSet.labels(posts))
            let note = "\n> Same-story decisions on the labelled set (\(posts.count) posts, this digest): precision "
                + String(format: "%.3f", own.precision) + ", recall " + String(format: "%.3f", own.recall)
                + ". Whole set with the held-out part (\(whole.count) posts): precision " + String(format: "%.3f", q.precision)
                + ", recall " + String(format: "%.3f", q.recall) + ".\n"
            try (result.markdown + note).write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    @Test func clusteringIsTheSameOnEveryRun() throws {
        let posts = try LabelledSet.load("labelled.jsonl")
        let groups = LabelledSet.groups(posts)
        let a = StoryClusterer.stories(groups, now: LabelledSet.now(posts))
        let b = StoryClusterer.stories(Array(groups.reversed()), now: LabelledSet.now(posts))
        #expect(a == b)
    }
}
