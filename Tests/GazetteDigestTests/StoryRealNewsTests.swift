import Foundation
import GazetteCore
import GazetteTestSupport
import Testing
@testable import GazetteDigest

/// Real news with expert "same event?" labels (`Tests/Fixtures/stories-real`, README there) and the bilingual pairs
/// written for the project (`Tests/Fixtures/stories-bilingual`). Issue 25: quality is measured on pairs of posts, old
/// method (`IssueFifteenClusterer`) against new (`StoryClusterer`) in the same run, on the validation part nobody tuned on.
enum RealNews {
    struct File: Decodable {
        var channels: [String: String]
        var posts: [RealPost]
    }

    struct RealPost: Decodable {
        var channel: String
        var id: Int64
        var story: String
        var views: Int
        var text: String
        var key: String { "\(channel)/\(id)" }
    }

    struct Set {
        var posts: [RealPost]
        var channels: [String: String]
        /// `BAD` pairs (different events a digest must not merge), by post key.
        var bad: [(String, String)]
    }

    static func load(part: String? = nil) throws -> Set {
        let file = try JSONDecoder().decode(File.self, from: TestFixtures.data("stories-real/posts.json"))
        let split = try String(decoding: TestFixtures.data("stories-real/split.tsv"), as: UTF8.self)
            .split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: "\t").map(String.init) }
        let partOf = Dictionary(uniqueKeysWithValues: split.map { ($0[0], $0[1]) })
        let posts = file.posts.filter { part == nil || partOf[$0.story] == part }
        let keys = Swift.Set(posts.map(\.key))
        let pairs = try String(decoding: TestFixtures.data("stories-real/labelled_pairs.tsv"), as: UTF8.self)
            .split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: "\t").map(String.init) }
        let bad = pairs.filter { $0[2] == "BAD" && keys.contains($0[0]) && keys.contains($0[1]) }.map { ($0[0], $0[1]) }
        return Set(posts: posts, channels: file.channels, bad: bad)
    }

    static let start = Date(timeIntervalSince1970: 1_780_000_000)

    /// The set's posts carry no dates: they are placed within six hours, in file order.
    static func items(_ set: Set) -> [StoryClusterer.Item] {
        var channelIDs: [String: Int64] = [:]
        return set.posts.enumerated().map { i, p in
            let cid = channelIDs[p.channel] ?? Int64(channelIDs.count + 1)
            channelIDs[p.channel] = cid
            let channel = Channel(id: cid, ref: .telegram(username: p.channel),
                                  metadata: ChannelMetadata(title: set.channels[p.channel] ?? p.channel), createdAt: start)
            let date = start.addingTimeInterval(Double(i * 6 * 3600 / max(1, set.posts.count)))
            return StoryClusterer.Item(channel: channel, post: Post(channel: p.channel, messageID: p.id, text: p.text, date: date,
                                                                   views: p.views, url: "https://t.me/\(p.channel)/\(p.id)"))
        }
    }

    struct Quality: CustomStringConvertible {
        var precision: Double
        var recall: Double
        var badMerged: Int
        var badPairs: Int
        var tp: Int, fp: Int, fn: Int
        var badShare: Double { Double(badMerged) / Double(max(1, badPairs)) }
        var description: String {
            String(format: "precision %.3f, recall %.3f, BAD merged %d/%d (tp %d, fp %d, fn %d)", precision, recall, badMerged,
                   badPairs, tp, fp, fn)
        }
    }

    /// Pairwise quality of clusters (indices into the items sorted by `StoryClusterer.order`) against story labels.
    /// `counted` decides which pairs count (all by default).
    static func quality(items: [StoryClusterer.Item], clusters: [[Int]], label: (StoryClusterer.Item) -> String,
                        bad: [(String, String)], counted: (StoryClusterer.Item, StoryClusterer.Item) -> Bool = { _, _ in true }) -> Quality {
        let sorted = items.sorted(by: StoryClusterer.order)
        var clusterOf: [String: Int] = [:]
        for (c, members) in clusters.enumerated() { for i in members { clusterOf["\(sorted[i].channel.key)/\(sorted[i].post.messageID)"] = c } }
        var tp = 0, fp = 0, fn = 0
        for a in sorted.indices {
            for b in 0..<a where counted(sorted[a], sorted[b]) {
                let merged = clusterOf[key(sorted[a])] == clusterOf[key(sorted[b])]
                let same = label(sorted[a]) == label(sorted[b])
                if merged && same { tp += 1 } else if merged { fp += 1 } else if same { fn += 1 }
            }
        }
        let badMerged = bad.filter { clusterOf[$0.0] != nil && clusterOf[$0.0] == clusterOf[$0.1] }.count
        return Quality(precision: Double(tp) / Double(max(1, tp + fp)), recall: Double(tp) / Double(max(1, tp + fn)),
                       badMerged: badMerged, badPairs: bad.count, tp: tp, fp: fp, fn: fn)
    }

    static func key(_ item: StoryClusterer.Item) -> String { "\(item.channel.key)/\(item.post.messageID)" }

    /// Old and new method on one part of the real set.
    static func compare(part: String?) throws -> (old: Quality, new: Quality) {
        let set = try load(part: part)
        let items = items(set)
        let labels = Dictionary(uniqueKeysWithValues: set.posts.map { ($0.key, $0.story) })
        let label: (StoryClusterer.Item) -> String = { labels[key($0)]! }
        let old = quality(items: items, clusters: IssueFifteenClusterer.clusters(items), label: label, bad: set.bad)
        let new = quality(items: items, clusters: StoryClusterer.clusterIndices(items).clusters, label: label, bad: set.bad)
        return (old, new)
    }
}

@Suite struct StoryRealNewsTests {
    /// The issue's measure on the part never tuned on, old against new in one run. The bounds are the figures measured
    /// when this test was written minus 0.03 (docs/DIGEST.md, "Measured quality").
    @Test func validationPartOldAgainstNew() throws {
        let (old, new) = try RealNews.compare(part: "validation")
        print("stories-real validation, issue-15 method: \(old)")
        print("stories-real validation, issue-25 method: \(new)")
        #expect(new.precision >= RealNews.measured.validationPrecision - 0.03)
        #expect(new.recall >= RealNews.measured.validationRecall - 0.03)
        #expect(new.badShare <= RealNews.measured.validationBadShare + 0.03)
        #expect(new.precision > old.precision)
    }

    @Test func tuningPartAndWholeSet() throws {
        for part in ["tuning", nil] as [String?] {
            let (old, new) = try RealNews.compare(part: part)
            print("stories-real \(part ?? "whole set"), issue-15 method: \(old)")
            print("stories-real \(part ?? "whole set"), issue-25 method: \(new)")
            #expect(new.precision > old.precision)
            #expect(new.badShare < old.badShare)
        }
    }

    /// The cases issue 25 quotes, on the real texts among all 119 posts: each is an instance of a general rule, named
    /// in the explanation the clusterer gives.
    @Test(arguments: [
        // Same kind, different names: two photo contests («На спорте», «Кофемания») — different quoted titles.
        ("svodka_alfa/1012", "svodka_alfa/1038", false),
        // A place shared, the events not: the Klintsy square and the iconostasis for Klintsy's cathedral.
        ("svodka_alfa/1018", "svodka_alfa/1022", false),
        // A party discussing expelling deputies, and having expelled them: a discussion and its outcome.
        ("svodka_alfa/1030", "svodka_delta/1021", false),
        // OSCE observers under fire, and the postponed disengagement in Petrovskoye.
        ("svodka_beta/1012", "svodka_gamma/1012", false),
        ("svodka_zeta/1027", "svodka_gamma/1012", false),
        // The paraphrase with little shared wording: «Обнаружена неожиданная смертельная опасность выходных» and
        // «Остановки сердца по выходным более опасны».
        ("svodka_alfa/1006", "svodka_zeta/1003", true),
    ])
    func quotedCases(_ a: String, _ b: String, merged: Bool) throws {
        let set = try RealNews.load()
        let items = RealNews.items(set)
        let (sorted, clusters) = StoryClusterer.clusterIndices(items)
        var clusterOf: [String: Int] = [:]
        for (c, members) in clusters.enumerated() { for i in members { clusterOf[RealNews.key(sorted[i])] = c } }
        let ia = items.first { RealNews.key($0) == a }!, ib = items.first { RealNews.key($0) == b }!
        let why = StoryClusterer.explain(ia, ib, among: items)
        #expect((clusterOf[a] == clusterOf[b]) == merged, "\(a) / \(b): \(why)")
        print("\(a) / \(b): \(merged ? "merged" : "apart") — \(why)")
    }

    /// Russian with English: the bilingual pairs written for the project, precision and recall over cross-language
    /// pairs only.
    @Test func russianWithEnglish() throws {
        let posts = try LabelledSet.load("../stories-bilingual/pairs.jsonl")
        let groups = LabelledSet.groups(posts)
        let items = groups.flatMap { g in g.posts.map { StoryClusterer.Item(channel: g.channel, post: $0) } }
        let labels = LabelledSet.labels(posts)
        let cyrillic: (StoryClusterer.Item) -> Bool = { DigestLanguage.detect([$0.post.text]) == .russian }
        let crossOnly: (StoryClusterer.Item, StoryClusterer.Item) -> Bool = { cyrillic($0) != cyrillic($1) }
        let label: (StoryClusterer.Item) -> String = { labels[RealNews.key($0)]! }
        let old = RealNews.quality(items: items, clusters: IssueFifteenClusterer.clusters(items), label: label, bad: [], counted: crossOnly)
        let new = RealNews.quality(items: items, clusters: StoryClusterer.clusterIndices(items).clusters, label: label, bad: [],
                                   counted: crossOnly)
        print("bilingual (Russian–English pairs), issue-15 method: \(old)")
        print("bilingual (Russian–English pairs), issue-25 method: \(new)")
        #expect(new.precision >= RealNews.measured.bilingualPrecision - 0.03)
        #expect(new.recall >= RealNews.measured.bilingualRecall - 0.03)
    }
}

extension RealNews {
    /// Measured by these tests on 2026-12-07 (docs/DIGEST.md); the tests hold the method to them minus 0.03.
    static let measured = (validationPrecision: 0.889, validationRecall: 0.842, validationBadShare: 0.2,
                           bilingualPrecision: 1.0, bilingualRecall: 0.5)
}
