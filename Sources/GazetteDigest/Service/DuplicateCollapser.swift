import Foundation
import GazetteCore

/// Collapses posts that several channels carry with the same text (cross-posts, forwards) into one.
///
/// The copy that stays is the most viewed one (then the earliest, then the one in the channel listed first),
/// so the digest shows each piece of news once, in the channel where most people read it.
enum DuplicateCollapser {
    static func collapse(_ groups: [ChannelPosts]) -> (groups: [ChannelPosts], collapsed: Int) {
        struct Best { var group: Int; var index: Int; var post: Post }
        var best: [String: Best] = [:]
        // Normalizing and hashing text is the expensive part: once per post.
        let hashes = groups.map { $0.posts.map(\.contentHash) }
        for (g, group) in groups.enumerated() {
            for (i, post) in group.posts.enumerated() {
                guard let hash = hashes[g][i] else { continue }
                guard let current = best[hash] else {
                    best[hash] = Best(group: g, index: i, post: post)
                    continue
                }
                if current.group == g { continue }  // same channel: the store's own dedup decides
                let views = post.views ?? -1, bestViews = current.post.views ?? -1
                if views > bestViews || (views == bestViews && post.date < current.post.date) {
                    best[hash] = Best(group: g, index: i, post: post)
                }
            }
        }
        var collapsed = 0
        var result: [ChannelPosts] = []
        for (g, group) in groups.enumerated() {
            let kept = group.posts.enumerated().filter { i, _ in
                guard let hash = hashes[g][i], let winner = best[hash], winner.group != g else { return true }
                collapsed += 1
                return false
            }.map(\.element)
            if !kept.isEmpty { result.append(ChannelPosts(channel: group.channel, posts: kept)) }
        }
        result.sort { a, b in
            a.posts.count != b.posts.count ? a.posts.count > b.posts.count : a.channel.id < b.channel.id
        }
        return (result, collapsed)
    }
}
