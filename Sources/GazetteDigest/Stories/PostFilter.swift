import Foundation
import GazetteCore
import GazetteText

/// A reader's filters applied to the posts of a window (issue 15). Posts are only left out of the digest, never
/// deleted; the digest's footer says how many were hidden.
///
/// Include and exclude phrases match by Snowball stems in order, stop words aside, so «выборы» matches «выборах» and
/// "election" matches "elections"; a phrase of stop words only matches as text, ignoring case. With include phrases,
/// only posts that contain one of them stay. Advertising is a post with `erid`, `#реклама`, «на правах рекламы», a
/// line that starts with the word «Реклама», or one of the reader's own markers (as text, ignoring case).
public struct PostFilter: Sendable {
    var include: [Phrase] = []
    var exclude: [Phrase] = []
    var muted: Set<String> = []
    var noAds = false
    var adMarkers: [String] = []
    var minLength: Int?

    enum Phrase: Sendable {
        case stems([String])
        case text(String)
    }

    public init(_ filters: [ReaderFilter]) {
        Stemmer.with { stemmer in
            for f in filters {
                switch f.kind {
                case .include: include.append(Self.phrase(f.value, stemmer: stemmer))
                case .exclude: exclude.append(Self.phrase(f.value, stemmer: stemmer))
                case .mute: muted.insert(f.value)
                case .noAds: noAds = true
                case .adMarker: adMarkers.append(f.value.lowercased())
                case .minLength: minLength = max(minLength ?? 0, Int(f.value) ?? 0)
                }
            }
        }
    }

    public var isEmpty: Bool { include.isEmpty && exclude.isEmpty && muted.isEmpty && !noAds && minLength == nil }

    static func phrase(_ text: String, stemmer: Stemmer) -> Phrase {
        let stems = Terms.features(text, stemmer: stemmer).terms
        return stems.isEmpty ? .text(text.lowercased()) : .stems(stems)
    }

    /// The groups without hidden posts (channels left with none are dropped) and how many posts were hidden.
    public func apply(_ groups: [ChannelPosts]) -> (groups: [ChannelPosts], hidden: Int) {
        guard !isEmpty else { return (groups, 0) }
        var hidden = 0
        let kept: [ChannelPosts] = Stemmer.with { stemmer in
            groups.compactMap { group in
                if muted.contains(group.channel.key) {
                    hidden += group.posts.count
                    return nil
                }
                let posts = group.posts.filter { post in
                    let keep = keeps(post, stemmer: stemmer)
                    if !keep { hidden += 1 }
                    return keep
                }
                return posts.isEmpty ? nil : ChannelPosts(channel: group.channel, posts: posts)
            }
        }
        return (kept, hidden)
    }

    func keeps(_ post: Post, stemmer: Stemmer) -> Bool {
        if let minLength, post.text.trimmingCharacters(in: .whitespacesAndNewlines).count < minLength { return false }
        if noAds, Self.isAd(post.text, markers: adMarkers) { return false }
        guard !include.isEmpty || !exclude.isEmpty else { return true }
        var text = post.text
        if let preview = post.linkPreviewTitle { text += "\n" + preview }
        let stems = Terms.features(text, stemmer: stemmer).terms
        let lower = text.lowercased()
        if exclude.contains(where: { Self.matches($0, stems: stems, lower: lower) }) { return false }
        if !include.isEmpty, !include.contains(where: { Self.matches($0, stems: stems, lower: lower) }) { return false }
        return true
    }

    static func matches(_ phrase: Phrase, stems: [String], lower: String) -> Bool {
        switch phrase {
        case .text(let t): return lower.contains(t)
        case .stems(let p):
            guard p.count <= stems.count else { return false }
            for start in 0...(stems.count - p.count) where stems[start] == p[0] {
                if (1..<p.count).allSatisfy({ stems[start + $0] == p[$0] }) { return true }
            }
            return false
        }
    }

    /// Whether a post is labelled as advertising.
    public static func isAd(_ text: String, markers: [String] = []) -> Bool {
        let lower = text.lowercased()
        if lower.contains("#реклама") || lower.contains("на правах рекламы") { return true }
        if markers.contains(where: { !$0.isEmpty && lower.contains($0) }) { return true }
        let words = lower.split(whereSeparator: { !($0.isLetter || $0.isNumber) })
        if words.contains("erid") { return true }
        for line in lower.split(separator: "\n") {
            let first = line.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).first
            if first == "реклама" { return true }
        }
        return false
    }
}
