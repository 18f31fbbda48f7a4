import Foundation
import GazetteCore
import Synchronization

/// The stories of the last few post sets this process clustered, reused while the same posts come back (issue 28).
///
/// Clustering is most of a warm digest's time (p95 80 of 178 ms for 10 × 100 posts, docs/DIGEST.md), and a repeated view
/// of the same window has the same posts, so the result is reused rather than recomputed. The key is every post's
/// channel, message id, edit time, date, views and forwards (they rank stories), with the story options; only the
/// recency term of the ranking depends on `now`, so a result is reused for at most `maxAge` (its stories' ranking is
/// then at most that old: the term moves by less than 0.003 in 5 minutes). Kept in memory, per process: the stories
/// are cheap to make again elsewhere, unlike LLM summaries, and reading them from the database would cost most of
/// what it saves.
public final class StoryReuse: Sendable {
    private struct Entry {
        var key: String
        var options: StoryOptions
        var made: Date
        var stories: [Story]
    }

    private let entries = Mutex<[Entry]>([])
    let capacity: Int
    let maxAge: TimeInterval

    public init(capacity: Int = 8, maxAge: TimeInterval = 300) {
        self.capacity = capacity
        self.maxAge = maxAge
    }

    /// The stories of `groups`, clustered now or taken from an earlier call with the same posts.
    func stories(_ groups: [ChannelPosts], options: StoryOptions, now: Date) async -> [Story] {
        let key = Self.key(groups)
        let found = entries.withLock { entries -> [Story]? in
            guard let i = entries.firstIndex(where: { $0.key == key && $0.options == options && abs(now.timeIntervalSince($0.made)) <= maxAge }) else { return nil }
            let entry = entries.remove(at: i)
            entries.append(entry)  // most recently used last
            return entry.stories
        }
        if let found { return found }
        let stories = await DigestService.cluster(groups, options: options, now: now)
        entries.withLock { entries in
            entries.removeAll { $0.key == key && $0.options == options }
            entries.append(Entry(key: key, options: options, made: now, stories: stories))
            if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
        }
        return stories
    }

    static func key(_ groups: [ChannelPosts]) -> String {
        var text = ""
        for group in groups {
            text += "\n\(group.channel.id):\(group.channel.displayName)"
            for p in group.posts {
                text += "|\(p.messageID)@\(p.editedAt?.timeIntervalSince1970 ?? 0)/\(p.date.timeIntervalSince1970)/\(p.views ?? -1)"
                text += "/\(p.forwards ?? -1)"
            }
        }
        return StableHash.sha256(text)
    }
}
