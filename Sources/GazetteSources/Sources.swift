import Foundation
import GazetteCore
import Logging

/// What the sources of a process need: where t.me's preview pages are, how many of a channel's are read, and the HTTP
/// behaviour they share.
public struct SourceSettings: Sendable, Equatable {
    /// Base URL of the public preview pages (`--telegram-preview-base-url`; a mirror, or a fake in tests).
    public var previewBaseURL = URL(string: "https://t.me")!
    /// Preview pages read per channel and pass (`--max-pages`).
    public var maxPages = 5
    public var http = HTTPSettings()

    public init() {}
}

/// The sources of a process: picks the source by `ref.kind` and owns the one shared HTTP client.
/// Call `shutdown()` once when done.
public final class Sources: PostSource {
    public let settings: HTTPSettings
    public let telegram: TelegramPreviewSource
    public let feeds: FeedSource
    private let http: SourceHTTPClient

    /// - Parameter clock: how waits (a short `Retry-After`) pass; tests may pass their own.
    public init(settings: SourceSettings, metrics: SourceMetrics?, logger: Logger, clock: any GazetteClock = SystemClock()) {
        self.settings = settings.http
        http = SourceHTTPClient(settings: settings.http, metrics: metrics, logger: logger, clock: clock)
        telegram = TelegramPreviewSource(baseURL: settings.previewBaseURL, maxPages: settings.maxPages, http: http)
        feeds = FeedSource(http: http)
    }

    public func fetch(_ ref: ChannelRef, since: Date, state: FetchState?) async throws(SourceError) -> SourceResult {
        switch ref.kind {
        case .telegram: try await telegram.fetch(ref, since: since, state: state)
        case .feed: try await feeds.fetch(ref, since: since, state: state)
        case .botapi: throw .unsupported(.botapi)
        }
    }

    /// Live fetch with a page limit of its own (MCP `get_posts`: a time window, not the worker's state).
    public func fetch(_ ref: ChannelRef, since: Date, maxPages: Int) async throws(SourceError) -> SourceResult {
        switch ref.kind {
        case .telegram: try await telegram.fetch(ref, since: since, state: nil, maxPages: maxPages)
        case .feed: try await feeds.fetch(ref, since: since, state: nil)
        case .botapi: throw .unsupported(.botapi)
        }
    }

    /// Title, description, subscribers and photo from the channel's first page (MCP `get_channel_metadata`).
    public func metadata(_ ref: ChannelRef) async throws(SourceError) -> ChannelMetadata {
        switch ref {
        case .telegram(let username):
            return try await telegram.page(username, before: nil).metadata ?? ChannelMetadata()
        case .feed:
            return try await feeds.fetch(ref, since: .distantPast, state: nil).metadata ?? ChannelMetadata()
        case .botapi:
            throw .unsupported(.botapi)
        case .invite:
            // A private channel has no public page: its title comes from the user account.
            return ChannelMetadata()
        }
    }

    public func shutdown() async {
        await http.shutdown()
    }
}
