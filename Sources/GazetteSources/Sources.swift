import Foundation
import GazetteCore
import Logging

/// The sources of a process: picks the source by `ref.kind` and owns the one shared HTTP client.
/// Call `shutdown()` once when done.
public final class Sources: PostSource {
    public let settings: HTTPSettings
    public let telegram: TelegramPreviewSource
    public let feeds: FeedSource
    private let http: SourceHTTPClient

    /// - Parameters:
    ///   - config: preview base URL, `--max-pages`, per-host concurrency and `allowPrivateSources` come from here.
    ///   - settings: HTTP settings; defaults from `config` (tests shorten the timeouts).
    ///   - clock: how waits (a short `Retry-After`) pass; tests may pass their own.
    public init(config: Config, settings: HTTPSettings? = nil, metrics: SourceMetrics?, logger: Logger,
                clock: any GazetteClock = SystemClock()) {
        let settings = settings ?? HTTPSettings(config: config)
        self.settings = settings
        http = SourceHTTPClient(settings: settings, metrics: metrics, logger: logger, clock: clock)
        telegram = TelegramPreviewSource(baseURL: config.telegramPreviewBaseURL, maxPages: config.maxPages, http: http)
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
