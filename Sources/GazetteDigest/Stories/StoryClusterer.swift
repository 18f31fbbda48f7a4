import Foundation
import GazetteCore
import GazetteText

/// How posts are merged into stories and how stories are ranked.
public struct StoryOptions: Sendable, Hashable {
    /// Two posts report the same event when their similarity reaches this (TF-IDF cosine plus evidence).
    public var threshold: Double
    /// Below this cosine shared numbers and names are not enough evidence.
    public var minimumCosine: Double
    /// Posts further apart in time than this are never linked directly.
    public var window: TimeInterval
    /// Stories shown in the "Top stories" section.
    public var topStories: Int
    /// Subtracted when both posts give numbers and share none (two fires of different sizes, two earthquakes).
    public var conflictPenalty: Double

    public init(threshold: Double = 0.26, minimumCosine: Double = 0.1, window: TimeInterval = 36 * 3600, topStories: Int = 10,
                conflictPenalty: Double = 0.15) {
        self.conflictPenalty = conflictPenalty
        self.threshold = threshold
        self.minimumCosine = minimumCosine
        self.window = window
        self.topStories = topStories
    }
}

/// Merges the posts of a window into stories, offline and deterministically (the same posts give the same stories
/// on every run and in every process).
///
/// Each post (text plus link preview title) becomes a TF-IDF vector over Snowball stems without stop words, with
/// the document frequencies of the window. Two posts are linked when they carry the same text (forwards,
/// cross-posts), or when their cosine plus the evidence of shared rare numbers and names reaches
/// `StoryOptions.threshold` and they were published within `StoryOptions.window` of each other. Stories are the
/// connected components of the links (single link). Candidate pairs come from an inverted index over the terms
/// that are not in most posts, so the cost grows with the pairs that share a word, not with all pairs.
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

    struct Entry {
        var term: Int32
        var weight: Float
    }

    struct Document {
        var vector: [Entry]
        var numbers: [Int32]
        /// Every number of the post, rare or not.
        var allNumbers: [Int32]
        var entities: [Int32]
        var hash: String?
    }

    /// Stories of the groups' posts, ranked (most important first).
    public static func stories(_ groups: [ChannelPosts], options: StoryOptions = .init(), now: Date) -> [Story] {
        let items = groups.flatMap { g in g.posts.map { Item(channel: g.channel, post: $0) } }
        return stories(items, options: options, now: now)
    }

    public static func stories(_ unordered: [Item], options: StoryOptions = .init(), now: Date) -> [Story] {
        let items = unordered.sorted(by: order)
        let (docs, _) = documents(items)
        let clusters = cluster(items, docs: docs, options: options)
        let medians = medianViews(items)
        return clusters.map { story($0, items: items, docs: docs, medians: medians, now: now, window: options.window) }
            .sorted { $0.score != $1.score ? $0.score > $1.score : $0.key < $1.key }
    }

    /// The clusters alone: indices into `items` sorted by `order`, each cluster ascending, clusters by first index.
    /// Tests and the benchmark measure this.
    public static func clusterIndices(_ unordered: [Item], options: StoryOptions = .init()) -> (items: [Item], clusters: [[Int]]) {
        let items = unordered.sorted(by: order)
        let (docs, _) = documents(items)
        return (items, cluster(items, docs: docs, options: options))
    }

    /// Oldest first, then by channel and message id: a total order, so ids and sums are the same on every run.
    static func order(_ a: Item, _ b: Item) -> Bool {
        if a.post.date != b.post.date { return a.post.date < b.post.date }
        if a.channel.key != b.channel.key { return a.channel.key < b.channel.key }
        return a.post.messageID < b.post.messageID
    }

    // MARK: Vectors

    static func documents(_ items: [Item]) -> ([Document], Int) {
        var ids: [String: Int32] = [:]
        func id(_ s: String) -> Int32 {
            if let id = ids[s] { return id }
            let id = Int32(ids.count)
            ids[s] = id
            return id
        }
        var raw: [(terms: [Int32], numbers: [Int32], entities: [Int32], hash: String?)] = []
        raw.reserveCapacity(items.count)
        Stemmer.with { stemmer in
            for item in items {
                var text = item.post.text
                if let preview = item.post.linkPreviewTitle, !preview.isEmpty { text += "\n" + preview }
                let f = Terms.features(text, stemmer: stemmer)
                raw.append((f.terms.map(id), Array(Set(f.numbers.map { id("#" + $0) })).sorted(),
                            Array(Set(f.entities.map(id))).sorted(), item.post.contentHash))
            }
        }
        var df = [Int32](repeating: 0, count: ids.count)
        for r in raw {
            for t in Set(r.terms) { df[Int(t)] += 1 }
            for t in r.numbers { df[Int(t)] += 1 }
        }
        let n = Double(max(items.count, 1))
        let docs = raw.map { r -> Document in
            var vector: [Entry] = []
            for t in r.terms.sorted() {
                if let last = vector.last, last.term == t { vector[vector.count - 1].weight += 1 } else { vector.append(Entry(term: t, weight: 1)) }
            }
            var norm: Float = 0
            for k in vector.indices {
                let idf = Float(log((n + 1) / Double(df[Int(vector[k].term)] + 1)) + 1)
                vector[k].weight = (1 + log(vector[k].weight)) * idf
                norm += vector[k].weight * vector[k].weight
            }
            norm = norm.squareRoot()
            if norm > 0 { for k in vector.indices { vector[k].weight /= norm } }
            // A number most posts carry (the year) is no evidence.
            let numbers = r.numbers.filter { Double(df[Int($0)]) <= max(3, n * 0.05) }
            let entities = r.entities.filter { Double(df[Int($0)]) <= max(3, n * 0.05) }
            return Document(vector: vector, numbers: numbers, allNumbers: r.numbers, entities: entities, hash: r.hash)
        }
        return (docs, ids.count)
    }

    // MARK: Linking

    /// How many of a post's terms (by weight) find its candidate pairs.
    static let candidateTerms = 12

    static func cluster(_ items: [Item], docs: [Document], options: StoryOptions) -> [[Int]] {
        var parent = Array(0..<items.count)
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
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        // Same text: forwards and cross-posts, whatever the time.
        var byHash: [String: Int] = [:]
        for (i, d) in docs.enumerated() {
            guard let h = d.hash else { continue }
            if let first = byHash[h] { union(first, i) } else { byHash[h] = i }
        }
        // Candidate pairs through an inverted index of each post's most weighted terms (the rare words that name the
        // event), leaving out terms more than a few posts share.
        let maxPosting = max(12, min(64, items.count / 20))
        let keys = docs.map { d in
            d.vector.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }.prefix(Self.candidateTerms).map(\.term)
        }
        var postings: [Int32: [Int32]] = [:]
        for (i, terms) in keys.enumerated() { for t in terms { postings[t, default: []].append(Int32(i)) } }
        var seen = [Int32](repeating: -1, count: items.count)
        for i in docs.indices {
            let d = docs[i]
            let date = items[i].post.date
            for term in keys[i] {
                guard let list = postings[term], list.count <= maxPosting else { continue }
                for j32 in list {
                    let j = Int(j32)
                    if j >= i { break }  // lists are ascending: only earlier posts
                    if seen[j] == Int32(i) { continue }
                    seen[j] = Int32(i)
                    guard date.timeIntervalSince(items[j].post.date) <= options.window else { continue }
                    if find(i) == find(j) { continue }
                    if similarity(d, docs[j], options: options) >= options.threshold { union(i, j) }
                }
            }
        }
        var clusters: [Int: [Int]] = [:]
        var roots: [Int] = []
        for i in items.indices {
            let r = find(i)
            if clusters[r] == nil { roots.append(r) }
            clusters[r, default: []].append(i)
        }
        return roots.map { clusters[$0]! }
    }

    /// Cosine of the TF-IDF vectors, plus 0.08 for each shared rare number and 0.05 for each shared rare name
    /// (at most three of each), minus `conflictPenalty` when both give numbers and none is the same, once the cosine
    /// itself reaches `minimumCosine`.
    static func similarity(_ a: Document, _ b: Document, options: StoryOptions) -> Double {
        let c = Double(cosine(a.vector, b.vector))
        guard c >= options.minimumCosine else { return c }
        let numbers = min(3, sharedCount(a.numbers, b.numbers))
        let entities = min(3, sharedCount(a.entities, b.entities))
        let conflict = !a.allNumbers.isEmpty && !b.allNumbers.isEmpty && sharedCount(a.allNumbers, b.allNumbers) == 0
        return c + 0.08 * Double(numbers) + 0.05 * Double(entities) - (conflict ? options.conflictPenalty : 0)
    }

    static func cosine(_ a: [Entry], _ b: [Entry]) -> Float {
        var i = 0, j = 0
        var sum: Float = 0
        while i < a.count, j < b.count {
            if a[i].term == b[j].term {
                sum += a[i].weight * b[j].weight
                i += 1
                j += 1
            } else if a[i].term < b[j].term {
                i += 1
            } else {
                j += 1
            }
        }
        return sum
    }

    static func sharedCount(_ a: [Int32], _ b: [Int32]) -> Int {
        var i = 0, j = 0, n = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                n += 1
                i += 1
                j += 1
            } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return n
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

    static func story(_ members: [Int], items: [Item], docs: [Document], medians: [String: Double], now: Date,
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
                for j in members where j != i { s += Double(cosine(docs[i].vector, docs[j].vector)) }
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
