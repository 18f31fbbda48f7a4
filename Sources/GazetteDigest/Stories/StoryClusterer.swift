import Foundation
import GazetteCore
import GazetteText

/// How posts are merged into stories and how stories are ranked (docs/DIGEST.md, "Stories").
public struct StoryOptions: Sendable, Hashable {
    /// Two posts, and two stories on average over their posts, report the same event when their score reaches this.
    public var threshold: Double
    /// Below this word cosine shared names and figures add nothing.
    public var minimumCosine: Double
    /// Posts further apart in time than this are never candidates of each other.
    public var window: TimeInterval
    /// Stories shown in the "Top stories" section.
    public var topStories: Int
    /// Subtracted when both posts give figures and share none (two fires of different sizes, two earthquakes).
    public var conflictPenalty: Double
    /// Subtracted when both name calendar dates and share none.
    public var datePenalty: Double
    /// Times the headlines' own cosine, added: headlines name the event, bodies add context.
    public var headlineBonus: Double
    /// Subtracted for a comment (a headline quoting someone the other post does not cite): the narrow definition of an
    /// event makes it another story.
    public var commentPenalty: Double
    /// Subtracted when one headline reports a discussion or review and the other does not (its outcome, another story).
    public var discussionPenalty: Double
    /// Subtracted when both posts come from one channel and are not near copies: a channel reports an event once; its
    /// next post on it is news about it (an update, a comment, an outcome), another story.
    public var sameChannelPenalty: Double
    /// Subtracted when each headline names a place or person the other post never mentions (two towns, two people).
    public var namePenalty: Double

    public init(threshold: Double = 0.25, minimumCosine: Double = 0.1, window: TimeInterval = 36 * 3600, topStories: Int = 10,
                conflictPenalty: Double = 0.15, datePenalty: Double = 0.3, headlineBonus: Double = 0.2, commentPenalty: Double = 0.2,
                sameChannelPenalty: Double = 0.2, namePenalty: Double = 0.2, discussionPenalty: Double = 0.35) {
        self.namePenalty = namePenalty
        self.discussionPenalty = discussionPenalty
        self.threshold = threshold
        self.minimumCosine = minimumCosine
        self.window = window
        self.topStories = topStories
        self.conflictPenalty = conflictPenalty
        self.datePenalty = datePenalty
        self.headlineBonus = headlineBonus
        self.commentPenalty = commentPenalty
        self.sameChannelPenalty = sameChannelPenalty
    }
}

/// Merges the posts of a window into stories, offline and deterministically (the same posts give the same stories
/// on every run and in every process).
///
/// Each post becomes a `PostEvidence` (TF-IDF over Snowball stems with headline words counted twice, names, figures,
/// dates, quoted titles, who the headline quotes). Posts with the same text always share a story. Other pairs are
/// scored by `StoryLinks` and merged best first with average linkage: a post or story joins another only when the
/// average score over all their pairs of posts reaches `StoryOptions.threshold` and no pair contradicts itself (two
/// quoted titles, two places), so A~B and B~C no longer put A with C. Candidate pairs come from an inverted index over
/// each post's heaviest terms and its names' consonant skeletons (Russian with English), so the cost grows with the
/// pairs that share a rare word, not with all pairs.
public enum StoryClusterer {
    /// A post with its channel.
    public struct Item: Sendable {
        public var channel: Channel
        public var post: Post
        public init(channel: Channel, post: Post) {
            self.channel = channel
            self.post = post
        }
    }

    /// Stories of the groups' posts, ranked (most important first).
    public static func stories(_ groups: [ChannelPosts], options: StoryOptions = .init(), now: Date) -> [Story] {
        let items = groups.flatMap { g in g.posts.map { Item(channel: g.channel, post: $0) } }
        return stories(items, options: options, now: now)
    }

    public static func stories(_ unordered: [Item], options: StoryOptions = .init(), now: Date) -> [Story] {
        let items = unordered.sorted(by: order)
        let docs = evidence(items)
        let clusters = cluster(items, docs: docs, options: options)
        let medians = medianViews(items)
        return clusters.map { story($0, items: items, docs: docs, medians: medians, now: now, window: options.window) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.key < $1.key }
    }

    /// The clusters alone: indices into `items` sorted by `order`, each cluster ascending, clusters by first index.
    /// Tests and the benchmark measure this.
    public static func clusterIndices(_ unordered: [Item], options: StoryOptions = .init()) -> (items: [Item], clusters: [[Int]]) {
        let items = unordered.sorted(by: order)
        return (items, cluster(items, docs: evidence(items), options: options))
    }

    /// Why two posts are, or are not, one event: the score and its reasons (the tests print it).
    static func explain(_ a: Item, _ b: Item, among unordered: [Item], options: StoryOptions = .init()) -> PairScore {
        let items = unordered.sorted(by: order)
        let docs = evidence(items)
        let i = items.firstIndex { $0.channel.key == a.channel.key && $0.post.messageID == a.post.messageID }!
        let j = items.firstIndex { $0.channel.key == b.channel.key && $0.post.messageID == b.post.messageID }!
        return pairScore(i, j, items: items, docs: docs, options: options)
    }

    /// Oldest first, then by channel and message id: a total order, so ids and sums are the same on every run.
    static func order(_ a: Item, _ b: Item) -> Bool {
        if a.post.date != b.post.date { return a.post.date < b.post.date }
        if a.channel.key != b.channel.key { return a.channel.key < b.channel.key }
        return a.post.messageID < b.post.messageID
    }

    static func evidence(_ items: [Item]) -> [PostEvidence] {
        EvidenceBuilder.build(items.map { ($0.post.text, $0.post.linkPreviewTitle) })
    }

    // MARK: Linking

    /// How many of a post's terms (by weight) find its candidate pairs.
    static let candidateTerms = 12
    /// A heavy term at most this many posts share makes a candidate pair by itself; a more common one needs a second.
    static let rarePosting = 16

    static func pairScore(_ i: Int, _ j: Int, items: [Item], docs: [PostEvidence], options: StoryOptions) -> PairScore {
        let hours = abs(items[i].post.date.timeIntervalSince(items[j].post.date)) / 3600
        return StoryLinks.score(docs[i], docs[j], sameChannel: items[i].channel.key == items[j].channel.key, hours: hours,
                                options: options)
    }

    static func cluster(_ items: [Item], docs: [PostEvidence], options: StoryOptions) -> [[Int]] {
        var parent = Array(0..<items.count)
        var members = items.indices.map { [$0] }
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        func union(_ a: Int, _ b: Int) {
            let ra = find(a), rb = find(b)
            guard ra != rb else { return }
            let (root, other) = (min(ra, rb), max(ra, rb))
            parent[other] = root
            members[root] += members[other]
            members[other] = []
        }
        // Same text: forwards and cross-posts, whatever the time.
        var byHash: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            guard let h = item.post.contentHash else { continue }
            if let first = byHash[h] { union(first, i) } else { byHash[h] = i }
        }
        // A pair's score, a vetoed pair's -infinity.
        func compare(_ i: Int, _ j: Int) -> Float {
            let s = pairScore(i, j, items: items, docs: docs, options: options)
            return s.vetoed ? -Float.infinity : Float(s.score)
        }
        // The same, kept for the pairs the merging below compares.
        var scores: [UInt64: Float] = [:]
        func score(_ i: Int, _ j: Int) -> Float {
            let key = UInt64(min(i, j)) << 32 | UInt64(max(i, j))
            if let hit = scores[key] { return hit }
            let value = compare(i, j)
            scores[key] = value
            return value
        }
        // Candidate pairs: posts that share one of their heaviest terms, or (across languages) a name's skeleton,
        // leaving out terms more than a few posts share.
        let maxPosting = max(12, min(64, items.count / 20))
        var postings: [Int32: [Int32]] = [:]
        var skeletonPostings: [UInt32: [Int32]] = [:]
        let keys = docs.map { $0.vector.heaviest(Self.candidateTerms) }
        for (i, terms) in keys.enumerated() {
            for t in terms { postings[t, default: []].append(Int32(i)) }
            for s in docs[i].skeletons { skeletonPostings[s, default: []].append(Int32(i)) }
        }
        // A candidate shares a name's skeleton, one of the heaviest terms that at most `rarePosting` posts have, or two
        // that more have: one common term alone is what unrelated posts of a busy window share, and scoring every such
        // pair was most of a 10,000-post window's time. Windows of up to 320 posts have no lists longer than
        // `rarePosting` (see `maxPosting`), so there every shared heavy term still makes a candidate.
        var shared = [UInt8](repeating: 0, count: items.count)
        var touched: [Int] = []
        var links: [(score: Float, i: Int32, j: Int32)] = []
        for i in docs.indices {
            let date = items[i].post.date
            func count(_ list: [Int32], by weight: UInt8) {
                guard list.count <= maxPosting else { return }
                for j32 in list {
                    let j = Int(j32)
                    if j >= i { break }  // lists are ascending: only earlier posts
                    if shared[j] == 0 { touched.append(j) }
                    shared[j] = min(2, shared[j] + weight)
                }
            }
            for term in keys[i] { if let list = postings[term] { count(list, by: list.count <= Self.rarePosting ? 2 : 1) } }
            for s in docs[i].skeletons { if let list = skeletonPostings[s] { count(list, by: 2) } }
            touched.sort()
            for j in touched {
                defer { shared[j] = 0 }
                guard shared[j] >= 2, date.timeIntervalSince(items[j].post.date) <= options.window else { continue }
                // Not kept in `scores`: most candidates are compared once, and keeping millions of them in a
                // window of 10,000 posts cost more than the few the merging below asks for again.
                let s = compare(i, j)
                if Double(s) >= options.threshold { links.append((s, Int32(j), Int32(i))) }
            }
            touched.removeAll(keepingCapacity: true)
        }
        // Best links first; two stories merge when their posts agree on average and none contradicts another.
        links.sort { $0.score != $1.score ? $0.score > $1.score : ($0.i != $1.i ? $0.i < $1.i : $0.j < $1.j) }
        for link in links {
            let ra = find(Int(link.i)), rb = find(Int(link.j))
            guard ra != rb else { continue }
            var sum = 0.0
            var vetoed = false
            outer: for a in members[ra] {
                for b in members[rb] {
                    let s = score(a, b)
                    if s == -.infinity { vetoed = true; break outer }
                    sum += Double(s)
                }
            }
            if !vetoed && sum / Double(members[ra].count * members[rb].count) >= options.threshold { union(ra, rb) }
        }
        var roots: [Int] = []
        for i in items.indices where find(i) == i { roots.append(i) }
        return roots.map { members[$0].sorted() }
    }

    // MARK: Stories

    static func medianViews(_ items: [Item]) -> [String: Double] {
        var views: [String: [Int]] = [:]
        for item in items { if let v = item.post.views { views[item.channel.key, default: []].append(v) } }
        return views.mapValues { list in
            let s = list.sorted()
            return s.count % 2 == 1 ? Double(s[s.count / 2]) : Double(s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
    }

    static func story(_ members: [Int], items: [Item], docs: [PostEvidence], medians: [String: Double], now: Date,
                      window: TimeInterval) -> Story {
        // Each post's sentences, split once.
        var split: [Int: [String]] = [:]
        for i in members { split[i] = SentenceSplitter.split(items[i].post.text) }
        // The most central post (highest summed cosine to the others; the earlier one on a tie) gives the headline.
        var best = members[0]
        if members.count > 1 {
            var bestScore = -1.0
            for i in members {
                var s = 0.0
                for j in members where j != i { s += docs[i].vector.cosine(docs[j].vector) }
                if !(split[i] ?? []).isEmpty { s += 1000 }  // a post with words beats a photo
                if s > bestScore + 1e-9 {
                    bestScore = s
                    best = i
                }
            }
        }
        let lead = items[best].post
        let sentences = split[best] ?? []
        let title = ExtractiveSummarizer.shorten(sentences.first ?? lead.linkPreviewTitle ?? lead.media.first.map { "[\($0.kind)]" } ?? "…",
                                                 to: 200)
        var summary = ""
        for s in sentences.dropFirst() {
            if summary.count + s.count > 320 { if summary.isEmpty { summary = ExtractiveSummarizer.shorten(s, to: 320) }; break }
            summary += summary.isEmpty ? s : " " + s
        }
        var posts: [StoryPost] = []
        var channels: [String] = []
        var titles: [String] = []
        var relative: [String: Double] = [:]
        var forwards: [String: Int] = [:]
        for i in members {
            let item = items[i]
            let first = split[i]?.first ?? item.post.linkPreviewTitle ?? ""
            posts.append(StoryPost(channel: item.channel.key, channelTitle: item.channel.displayName, messageID: item.post.messageID,
                                   url: item.post.link, date: item.post.date, views: item.post.views,
                                   excerpt: ExtractiveSummarizer.shorten(first, to: 120),
                                   imageURL: item.post.firstPicture?.displayURL))
            if !channels.contains(item.channel.key) {
                channels.append(item.channel.key)
                titles.append(item.channel.displayName)
            }
            // One post per channel counts: the channel's best-read report of it.
            if let count = item.post.forwards, count > 0 { forwards[item.channel.key] = max(forwards[item.channel.key] ?? 0, count) }
            if let views = item.post.views, let median = medians[item.channel.key], median > 0 {
                relative[item.channel.key] = max(relative[item.channel.key] ?? 0, Double(views) / median)
            }
        }
        let firstReport = items[members[0]].post.date
        let lastReport = items[members.last!].post.date
        let attention = relative.keys.sorted().reduce(0.0) { $0 + min(4, relative[$1]!) }
        let age = max(0, now.timeIntervalSince(lastReport))
        let recency = exp(-age / max(3600, window / 2))
        let forwarded = forwards.keys.sorted().reduce(0) { $0 + forwards[$1]! }
        let score = Double(channels.count) + 0.5 * log2(1 + attention) + 0.25 * log2(1 + Double(forwarded)) / 4 + 0.5 * recency
        var story = Story(key: "\(items[members[0]].channel.key)/\(items[members[0]].post.messageID)", title: title, summary: summary,
                          posts: posts, channels: channels, channelTitles: titles, firstReport: firstReport, score: score,
                          language: DigestLanguage.detect([lead.text]))
        let leadIndex = members.firstIndex(of: best) ?? 0
        story.picture = posts[leadIndex].imageURL != nil ? posts[leadIndex] : posts.first { $0.imageURL != nil }
        return story
    }
}
