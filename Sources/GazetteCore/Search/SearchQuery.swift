import Foundation

/// A search over a reader's posts, already reduced to Snowball stems (`SearchQueryParser` in GazetteText makes it from
/// what the user typed). Every `include` term must match and no `exclude` term may; the stores turn it into their own
/// engine's query (an FTS5 expression, a `tsquery`) and bind it as a value, never as SQL.
public struct SearchQuery: Sendable, Hashable {
    public enum Term: Sendable, Hashable {
        /// One word, by its stem.
        case word(String)
        /// A word that starts with any of these (what was typed before `*`, and its stem when that differs).
        case prefix([String])
        /// Words next to each other in this order, by their stems.
        case phrase([String])
    }

    /// What the user typed, trimmed (shown back in answers).
    public var text: String
    public var include: [Term]
    public var exclude: [Term]

    public init(text: String, include: [Term], exclude: [Term] = []) {
        self.text = text
        self.include = include
        self.exclude = exclude
    }
}

/// Where a search looks within the reader's channels: one of them, and a date range (`since` inclusive, `until`
/// exclusive).
public struct SearchScope: Sendable, Hashable {
    public var channelID: Int64?
    public var since: Date?
    public var until: Date?

    public init(channelID: Int64? = nil, since: Date? = nil, until: Date? = nil) {
        self.channelID = channelID
        self.since = since
        self.until = until
    }
}

/// One post a search found, with its channel and how well it matched (higher is better; the scale is the store's own).
public struct SearchHit: Sendable, Hashable {
    public var channel: Channel
    public var post: Post
    public var score: Double

    public init(channel: Channel, post: Post, score: Double) {
        self.channel = channel
        self.post = post
        self.score = score
    }
}
