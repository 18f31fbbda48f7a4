import Foundation
import GazetteCore

/// What a live fetch returns: the posts in the window (newest first) and the channel's header, when known.
public struct FetchedChannel: Sendable {
    public var posts: [Post]
    public var metadata: ChannelMetadata?
    public init(posts: [Post], metadata: ChannelMetadata?) {
        self.posts = posts
        self.metadata = metadata
    }
}

/// Fetches a channel from its source right now (Telegram preview page, feed).
public protocol ChannelFetcher: Sendable {
    func fetch(_ ref: ChannelRef, since: Date) async throws(ToolError) -> FetchedChannel
}

/// One channel's section given to `format_digest_markdown`.
public struct DigestSectionInput: Sendable, Equatable {
    public var channel: String
    public var title: String?
    public var summary: String
    public var postCount: Int
    public var views: Int?
    public init(channel: String, title: String?, summary: String, postCount: Int, views: Int?) {
        self.channel = channel
        self.title = title
        self.summary = summary
        self.postCount = postCount
        self.views = views
    }
}

/// Header facts of a digest (title, generation date, window).
public struct DigestInfoInput: Sendable, Equatable {
    public var title: String?
    public var date: Date
    public var hours: Int?
    public init(title: String?, date: Date, hours: Int?) {
        self.title = title
        self.date = date
        self.hours = hours
    }
}

/// A rendered PDF and its true page count.
public struct PDFDocumentOutput: Sendable {
    public var data: Data
    public var pages: Int
    public init(data: Data, pages: Int) {
        self.data = data
        self.pages = pages
    }
}

/// A user's PDF digest.
public struct PDFDigestOutput: Sendable {
    public var data: Data
    public var pages: Int
    public var channels: Int
    public var posts: Int
    public init(data: Data, pages: Int, channels: Int, posts: Int) {
        self.data = data
        self.pages = pages
        self.channels = channels
        self.posts = posts
    }
}

/// A channel's summary as the digest tools return it.
public struct SummaryOutput: Sendable {
    public var summary: String
    public var postCount: Int
    public var method: String
    public var language: String
    public init(summary: String, postCount: Int, method: String, language: String) {
        self.summary = summary
        self.postCount = postCount
        self.method = method
        self.language = language
    }
}

/// The digest pipeline as the tools need it: summarizer, markdown formatter, PDF renderer (with `pdf_*` metrics)
/// and the cached PDF digest of a user.
public protocol DigestBackend: Sendable {
    func summarize(_ posts: [Post], channel: String, maxSentences: Int) async -> SummaryOutput
    func formatDigest(sections: [DigestSectionInput], info: DigestInfoInput) -> String
    func combine(sections: [String], template: String?) throws(ToolError) -> String
    func renderPDF(markdown: String, title: String?, author: String?, date: Date) async throws(ToolError) -> PDFDocumentOutput
    func pdfDigest(userID: Int64, hours: Int, now: Date) async throws(ToolError) -> PDFDigestOutput
}

/// Everything a tool handler may use. Built once per process and shared by every transport.
public struct ToolContext: Sendable {
    public var store: any GazetteStore
    public var fetcher: any ChannelFetcher
    public var digest: any DigestBackend
    public var now: @Sendable () -> Date
    /// Same-text posts within this window of one channel are skipped (SPEC §4).
    public var dedupWindow: TimeInterval
    public var windowLimits: WindowLimits

    public init(store: any GazetteStore, fetcher: any ChannelFetcher, digest: any DigestBackend,
                now: @escaping @Sendable () -> Date = { Date() }, dedupWindow: TimeInterval = 7 * 86400,
                windowLimits: WindowLimits = WindowLimits()) {
        self.store = store
        self.fetcher = fetcher
        self.digest = digest
        self.now = now
        self.dedupWindow = dedupWindow
        self.windowLimits = windowLimits
    }
}
