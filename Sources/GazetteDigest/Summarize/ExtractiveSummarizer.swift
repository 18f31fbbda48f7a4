import Foundation
import GazetteCore
import GazetteText

/// The default summarizer: offline and deterministic (the same posts always give the same summary).
///
/// Every sentence becomes a TF-IDF vector over the channel's sentences; a sentence's score is its cosine
/// similarity to the centroid of all of them (how central it is to what the channel talked about), raised
/// for the first sentence of a post and for posts many people viewed, lowered for fragments and walls of
/// text. The best sentences are taken greedily, skipping near-repeats of ones already taken and preferring
/// sentences from different posts, each followed by a link to its post. Linear in the number of sentences.
public struct ExtractiveSummarizer: Summarizer {
    public var maxTopPosts: Int

    public init(maxTopPosts: Int = 3) {
        self.maxTopPosts = maxTopPosts
    }

    /// Raise `version` whenever a change here changes what a summary says (the summary cache keys on it).
    public var identity: SummarizerIdentity { SummarizerIdentity(method: .extractive, model: "", version: 1) }

    /// Runs on `BlockingWork`'s threads: a busy channel is several milliseconds of CPU. Sentences are quoted, never
    /// translated: `translatingTo` and `answers` do not apply.
    public func attempt(_ posts: [Post], channel: String, maxSentences: Int, translatingTo: DigestLanguage?,
                        answers: (any LLMAnswerMemo)?) async -> SummaryAttempt {
        let summarizer = self
        return SummaryAttempt(summary: await BlockingWork.run {
            summarizer.summarizeNow(posts, channel: channel, maxSentences: maxSentences)
        })
    }

    /// The synchronous core, also used by the LLM summarizer's fallback.
    public func summarizeNow(_ posts: [Post], channel: String, maxSentences: Int) -> ChannelSummary {
        let language = DigestLanguage.detect(posts.lazy.map(\.text))
        let candidates = Self.candidates(posts)
        let chosen = Self.select(candidates, posts: posts, maxSentences: max(1, maxSentences))
        var points = Self.points(chosen, posts: posts)
        if points.isEmpty { points = [SummaryPoint(text: Self.emptySummary(posts, language: language))] }
        return ChannelSummary(channel: channel, postCount: posts.count, totalViews: posts.reduce(0) { $0 + ($1.views ?? 0) },
                              summary: SummaryPoint.markdown(points), points: points,
                              topPosts: Self.topPosts(posts, limit: maxTopPosts), method: .extractive, language: language)
    }

    struct Candidate {
        var post: Int
        var index: Int
        var text: String
        var vector: SparseVector
        var score: Double
    }

    /// Sentences as TF-IDF vectors. Terms get ids in order of first appearance and every sum runs in a fixed
    /// order, so the scores (and the summary) are bit-for-bit the same in every process.
    static func candidates(_ posts: [Post]) -> [Candidate] {
        var ids: [String: Int32] = [:]
        var raw: [(post: Int, index: Int, text: String, terms: [Int32])] = []
        Stemmer.with { stemmer in
            for (p, post) in posts.enumerated() {
                for (i, sentence) in SentenceSplitter.split(post.text).enumerated() {
                    let terms = Terms.of(sentence, stemmer: stemmer).map { term in
                        if let id = ids[term] { return id }
                        let id = Int32(ids.count)
                        ids[term] = id
                        return id
                    }
                    raw.append((p, i, sentence, terms))
                }
            }
        }
        var documentFrequency = [Int](repeating: 0, count: ids.count)
        for r in raw { for term in Set(r.terms) { documentFrequency[Int(term)] += 1 } }
        let n = Double(max(raw.count, 1))
        var centroid = [Double](repeating: 0, count: ids.count)
        var candidates: [Candidate] = []
        candidates.reserveCapacity(raw.count)
        for r in raw {
            let vector = SparseVector(r.terms) { log((n + 1) / Double(documentFrequency[Int($0)] + 1)) + 1 }
            for e in vector.entries { centroid[Int(e.term)] += e.weight }
            candidates.append(Candidate(post: r.post, index: r.index, text: r.text, vector: vector, score: 0))
        }
        let centroidNorm = centroid.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if centroidNorm > 0 { for k in centroid.indices { centroid[k] /= centroidNorm } }
        let maxViews = Double(posts.compactMap(\.views).max() ?? 0)
        for k in candidates.indices {
            let c = candidates[k]
            var score = c.vector.cosine(dense: centroid)
            let words = c.text.utf8.reduce(1) { $0 + ($1 == 0x20 ? 1 : 0) }
            if words < 4 { score *= 0.3 } else if words < 7 { score *= 0.7 } else if words > 60 { score *= 0.6 }
            if c.index == 0 { score *= 1.2 }
            if maxViews > 0, let views = posts[c.post].views {
                score *= 1 + 0.3 * log1p(Double(views)) / log1p(maxViews)
            }
            candidates[k].score = score
        }
        return candidates
    }

    /// Greedy choice: best score first, no near-duplicates, at most one sentence per post until every post had a chance.
    static func select(_ candidates: [Candidate], posts: [Post], maxSentences: Int) -> [Candidate] {
        let ranked = candidates.sorted {
            if $0.score != $1.score { return $0.score > $1.score }
            if posts[$0.post].messageID != posts[$1.post].messageID { return posts[$0.post].messageID > posts[$1.post].messageID }
            return $0.index < $1.index
        }
        var chosen: [Candidate] = []
        var usedPosts = Set<Int>()
        var length = 0
        for pass in 0..<2 {
            for c in ranked where chosen.count < maxSentences {
                if pass == 0 && usedPosts.contains(c.post) { continue }
                if chosen.contains(where: { $0.post == c.post && $0.index == c.index }) { continue }
                if chosen.contains(where: { $0.vector.cosine(c.vector) > 0.6 }) { continue }
                let cost = min(c.text.count, maxSentenceLength) + 40
                if length + cost > ChannelSummary.maxCharacters { continue }
                chosen.append(c)
                usedPosts.insert(c.post)
                length += cost
            }
        }
        return chosen
    }

    static let maxSentenceLength = 400

    static func points(_ chosen: [Candidate], posts: [Post]) -> [SummaryPoint] {
        chosen.map { c in
            SummaryPoint(text: shorten(c.text, to: maxSentenceLength), links: posts[c.post].link.map { [$0] } ?? [])
        }
    }

    static func emptySummary(_ posts: [Post], language: DigestLanguage) -> String {
        if posts.isEmpty { return language == .russian ? "Нет новых постов." : "No new posts." }
        var kinds: [String: Int] = [:]
        for post in posts { for m in post.media { kinds[m.kind, default: 0] += m.count } }
        let media = kinds.sorted { $0.key < $1.key }.map { "\($0.key) × \($0.value)" }.joined(separator: ", ")
        let head = language == .russian ? "\(posts.count) \(russianPosts(posts.count)) без текста"
            : "\(posts.count) \(posts.count == 1 ? "post" : "posts") without text"
        return media.isEmpty ? head + "." : head + " (\(media))."
    }

    static func russianPosts(_ n: Int) -> String {
        if n % 10 == 1 && n % 100 != 11 { return "пост" }
        if (2...4).contains(n % 10) && !(12...14).contains(n % 100) { return "поста" }
        return "постов"
    }

    /// The most viewed posts (newest first among equals), each with its first sentence as the excerpt.
    static func topPosts(_ posts: [Post], limit: Int) -> [TopPost] {
        posts.sorted {
            if ($0.views ?? -1) != ($1.views ?? -1) { return ($0.views ?? -1) > ($1.views ?? -1) }
            return $0.date != $1.date ? $0.date > $1.date : $0.messageID > $1.messageID
        }
        .prefix(max(0, limit))
        .map { post in
            let first = SentenceSplitter.split(post.text).first ?? post.linkPreviewTitle ?? post.media.first.map { "[\($0.kind)]" } ?? ""
            return TopPost(messageID: post.messageID, url: post.link, views: post.views, date: post.date,
                           excerpt: shorten(first, to: 140), imageURL: post.firstPicture?.displayURL)
        }
    }

    static func shorten(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        let cut = text.prefix(limit - 1)
        let atWord = cut.lastIndex(where: \.isWhitespace).map { cut[..<$0] } ?? cut
        return atWord.trimmingCharacters(in: .whitespaces.union(.punctuationCharacters)) + "…"
    }
}
