import Foundation
import GazetteCore
import GazetteDigest

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

/// The store roles the tools use: channels and subscriptions, posts, the readers' filters and language, delivery settings
/// and search.
public typealias ToolStore = ChannelStore & PostStore & ReaderStore & BotStateStore & ImageCacheStore & SearchStore

/// Everything a tool handler may use. Built once per process and shared by every transport.
public struct ToolContext: Sendable {
    public var store: any ToolStore
    public var fetcher: any ChannelFetcher
    /// The digest pipeline, with the same types the bot uses.
    public var digest: any DigestBuilding & DigestRendering
    public var clock: any GazetteClock
    /// Same-text posts within this window of one channel are skipped (SPEC §4).
    public var dedupWindow: TimeInterval
    public var windowLimits: WindowLimits
    /// Feed URLs on loopback or private addresses may be subscribed to (`GAZETTE_ALLOW_PRIVATE_SOURCES`).
    public var allowPrivateSources: Bool
    /// Where a long tool reports how far it is (MCP `notifications/progress`); nil when the caller gave no token.
    public var progress: ToolProgress?

    public init(store: any ToolStore, fetcher: any ChannelFetcher, digest: any DigestBuilding & DigestRendering,
                clock: any GazetteClock = SystemClock(), dedupWindow: TimeInterval = 7 * 86400,
                windowLimits: WindowLimits = WindowLimits(), allowPrivateSources: Bool = false) {
        self.store = store
        self.fetcher = fetcher
        self.digest = digest
        self.clock = clock
        self.dedupWindow = dedupWindow
        self.windowLimits = windowLimits
        self.allowPrivateSources = allowPrivateSources
    }

    func now() -> Date { clock.now() }

    /// Reports `done` of `total` steps, when the caller asked for progress.
    func report(_ done: Int, of total: Int, _ message: String) async {
        await progress?.report(done, total, message)
    }

    /// Stops a tool whose request was cancelled (MCP `notifications/cancelled`), between its steps.
    func checkCancelled() throws(ToolError) {
        if Task.isCancelled { throw .cancelled }
    }
}

/// Sends progress of one tool call.
public struct ToolProgress: Sendable {
    let report: @Sendable (Int, Int, String) async -> Void
    public init(_ report: @escaping @Sendable (Int, Int, String) async -> Void) {
        self.report = report
    }
}
