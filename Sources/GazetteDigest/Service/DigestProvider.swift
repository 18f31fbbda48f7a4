import Foundation
import GazetteCore

/// A rendered document and its true page count.
public struct DigestDocument: Sendable, Equatable {
    public var data: Data
    public var pages: Int
    public init(data: Data, pages: Int) {
        self.data = data
        self.pages = pages
    }
}

/// A user's rendered digest.
public struct DigestPDF: Sendable, Equatable {
    public var data: Data
    public var pages: Int
    public var channels: Int
    public var posts: Int
    /// True when the PDF came from the cache without rendering.
    public var cacheHit: Bool

    public init(data: Data, pages: Int, channels: Int, posts: Int, cacheHit: Bool) {
        self.data = data
        self.pages = pages
        self.channels = channels
        self.posts = posts
        self.cacheHit = cacheHit
    }
}

/// The digest pipeline in three roles, split as the store is (`GazetteStore`): a caller names only the roles it uses, so
/// a test double implements only those, and no role has a default standing in for the real thing. `DigestService` is
/// the implementation of all three; `DigestProvider` names them together.
///
/// Building: summaries, markdown and stories from the posts (MCP tools, the web reader, resources).
public protocol DigestBuilding: Sendable {
    /// One channel's summary by the configured summarizer.
    func summarize(_ posts: [Post], channel: String, maxSentences: Int) async -> ChannelSummary
    /// A whole digest document from summaries a client made (title, contents, sections, footer).
    func markdown(summaries: [ChannelSummary], title: String?, date: Date, hours: Int) -> String
    /// Sections joined by a template: a name (`default`; an unknown name falls back to it) or a template string
    /// with `{sections}`, `{date}` and `{title}`.
    func combine(sections: [String], template: String?, date: Date) throws(DigestError) -> String
    /// Whether the user's channels have posts in the window (one cheap query, before anything is summarized).
    func hasPosts(userID: Int64, hours: Int, now: Date) async throws(DigestError) -> Bool
    /// The user's digest as the markdown its PDF is rendered from (the reader's filters and language apply).
    func markdownDigest(userID: Int64, hours: Int, now: Date) async throws(DigestError) -> String
    /// The user's digest as chat messages of at most 4096 characters.
    func textDigest(userID: Int64, hours: Int, now: Date) async throws(DigestError) -> [String]
    /// The ranked stories of the user's channels in the window, the reader's filters applied.
    func stories(userID: Int64, hours: Int, now: Date, limit: Int) async throws(DigestError) -> StoryList
}

/// Rendering: PDFs (MCP tools, the web reader's downloads).
public protocol DigestRendering: Sendable {
    /// Any markdown as a PDF.
    func render(markdown: String, title: String?, author: String?, date: Date) async throws(DigestError) -> DigestDocument
    /// The user's PDF digest, from the cache when nothing changed; `progress` (when given) hears each step of the work.
    func pdf(userID: Int64, hours: Int, now: Date, progress: DigestProgress?) async throws(DigestError) -> DigestPDF
}

/// Delivery: digests sent to a reader, and the record that keeps the same story from being sent twice (the bot, the
/// daily scheduler). A conformer must record what `confirmDelivery` is given: there is no default that forgets it.
public protocol DigestDelivering: Sendable {
    /// The digest to send to the reader now: stories sent before are left out unless new reports arrived.
    func deliver(userID: Int64, hours: Int, now: Date, format: UserSettings.Format) async throws(DigestError) -> DigestDelivery
    /// Records that the reader received a delivered digest's stories.
    func confirmDelivery(_ records: [DeliveredStory]) async throws(DigestError)
    /// A scheduled digest made once for all its destinations (markdown, PDF, text, the stories it delivers).
    func prepareDelivery(userID: Int64, hours: Int, now: Date) async throws(DigestError) -> DigestPreparation
}

/// Every role of the pipeline: what GazetteApp builds (`DigestService`) and hands to each part as the roles it uses.
public typealias DigestProvider = DigestBuilding & DigestRendering & DigestDelivering

/// Stories of a window: the first `limit` by rank, how many there were, and what the filters hid.
public struct StoryList: Sendable {
    public var stories: [Story]
    public var total: Int
    public var posts: Int
    public var hidden: Int
    public init(stories: [Story], total: Int, posts: Int, hidden: Int) {
        self.stories = stories
        self.total = total
        self.posts = posts
        self.hidden = hidden
    }
}
