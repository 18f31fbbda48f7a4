import Foundation

/// A rendered digest as the bot sends it.
public struct BotDigestDocument: Sendable {
    public var pdf: Data
    public var pages: Int
    public var channels: Int
    public var posts: Int
    /// True when the PDF came from the digest cache without rendering.
    public var cacheHit: Bool

    public init(pdf: Data, pages: Int, channels: Int, posts: Int, cacheHit: Bool) {
        self.pdf = pdf
        self.pages = pages
        self.channels = channels
        self.posts = posts
        self.cacheHit = cacheHit
    }
}

/// Why a digest could not be produced; maps onto `bot_digest_errors_total{error_type}`.
public enum BotDigestError: Error, Sendable, CustomStringConvertible {
    case database(String)
    case renderFailed(String)
    case timeout

    public var description: String {
        switch self {
        case .database(let d): "the digest could not read the database: \(d)"
        case .renderFailed(let d): "the PDF could not be rendered: \(d)"
        case .timeout: "the digest took too long"
        }
    }
}

/// Where the bot gets digests from: the digest pipeline (`DigestService`) in production.
/// Kept as a protocol so the bot's flows do not depend on how the pipeline is assembled.
public protocol BotDigestSource: Sendable {
    /// The PDF digest of the user's channels over the last `hours`; nil when there are no posts in the window.
    func pdfDigest(userID: Int64, hours: Int, now: Date) async throws(BotDigestError) -> BotDigestDocument?
    /// The text digest as messages of at most 4096 characters; empty when there are no posts in the window.
    func textDigest(userID: Int64, hours: Int, now: Date) async throws(BotDigestError) -> [String]
}
