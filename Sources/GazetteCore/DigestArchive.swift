import Foundation

/// A digest as it was delivered to a reader (issue 18): what the web reader lists and the Atom feed serves, one entry
/// per delivery. The markdown is kept, not the PDF: both are made again from it on demand.
public struct ArchivedDigest: Sendable, Hashable, Codable {
    /// Stable: recording the same (user, kind, period) again keeps the id (a retried delivery is one entry).
    public var id: Int64
    public var userID: Int64
    /// What delivered it, e.g. `daily`.
    public var kind: String
    /// The delivery's period, e.g. the reader's local date `2026-12-03`.
    public var period: String
    /// The window the digest covers.
    public var since: Date
    public var until: Date
    public var title: String
    public var markdown: String
    public var channels: Int
    public var posts: Int
    public var createdAt: Date

    public init(id: Int64 = 0, userID: Int64, kind: String, period: String, since: Date, until: Date, title: String,
                markdown: String, channels: Int, posts: Int, createdAt: Date) {
        self.id = id
        self.userID = userID
        self.kind = kind
        self.period = period
        self.since = since
        self.until = until
        self.title = title
        self.markdown = markdown
        self.channels = channels
        self.posts = posts
        self.createdAt = createdAt
    }

    /// The longest markdown kept (a digest of 10 channels × 100 posts is far below it).
    public static let maxMarkdownBytes = 4_000_000
    public static let maxTitleLength = 300
}

/// The hash of a reader's web token (`gazette web-token`): the token itself is never stored.
public struct WebTokenRecord: Sendable, Hashable {
    public var userID: Int64
    /// Lower-case hex SHA-256 of the token.
    public var tokenHash: String
    public var createdAt: Date

    public init(userID: Int64, tokenHash: String, createdAt: Date) {
        self.userID = userID
        self.tokenHash = tokenHash
        self.createdAt = createdAt
    }
}
