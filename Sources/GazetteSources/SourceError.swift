import Foundation
import GazetteCore

/// Why fetching a channel failed. Messages are for people; `errorType` is the metric label
/// (`post_fetcher_errors_total{error_type}`, a fixed set: docs/METRICS.md).
public enum SourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Telegram has no such username.
    case channelNotFound(channel: String)
    /// The name exists but Telegram shows no public preview for it (private preview, group, user or bot).
    case noPublicPreview(channel: String)
    /// The page parsed but did not look like a channel preview: Telegram changed its markup.
    case layoutChanged(channel: String, detail: String)
    /// An HTTP status the source cannot use (4xx other than 429, 5xx, unexpected redirects).
    case httpStatus(Int, url: String)
    /// `429 Too Many Requests`; `retryAfter` from the header when given.
    case rateLimited(url: String, retryAfter: TimeInterval?)
    /// Connect (5 s) or total (20 s) deadline passed.
    case timeout(url: String)
    /// DNS, connection or TLS failure.
    case network(url: String, detail: String)
    /// The response was larger than the cap.
    case tooLarge(url: String, limit: Int)
    /// Not RSS 2.0 or Atom 1.0, or malformed XML.
    case invalidFeed(url: String, detail: String)
    /// A user-supplied URL resolving to a loopback/private address (see `HTTPSettings.allowPrivateSources`).
    case forbiddenAddress(url: String, address: String)
    /// This kind of channel is not fetched over HTTP (Bot API channels arrive as bot updates).
    case unsupported(ChannelKind)
    /// Reading through the Telegram user account failed (TDLib's error, an expired invite link, a lost session).
    case account(channel: String, reason: String)

    /// The `error_type` label of a failure (`post_fetcher_errors_total`, MCP tool failures): a fixed set.
    public enum ErrorType: String, Sendable, CaseIterable {
        case channelNotFound = "channel_not_found"
        case noPublicPreview = "no_public_preview"
        case layoutChanged = "layout_changed"
        case httpError = "http_error"
        case rateLimited = "rate_limited"
        case timeout
        case network
        case tooLarge = "too_large"
        case invalidFeed = "invalid_feed"
        case forbiddenAddress = "forbidden_address"
        case account
    }

    public var errorType: ErrorType {
        switch self {
        case .channelNotFound: .channelNotFound
        case .noPublicPreview: .noPublicPreview
        case .layoutChanged: .layoutChanged
        case .httpStatus: .httpError
        case .rateLimited: .rateLimited
        case .timeout: .timeout
        case .network: .network
        case .tooLarge: .tooLarge
        case .invalidFeed: .invalidFeed
        case .forbiddenAddress: .forbiddenAddress
        // Bot API channels are never handed to a source by the worker; a caller that does gets a clear message.
        case .unsupported: .channelNotFound
        case .account: .account
        }
    }

    /// Seconds the server asked us to wait, when it did.
    public var retryAfter: TimeInterval? {
        if case .rateLimited(_, let after) = self { return after }
        return nil
    }

    /// Whether retrying later can help (a missing channel or a refused address will not fix itself soon).
    public var isTransient: Bool {
        switch self {
        case .httpStatus(let status, _): status >= 500 || status == 408
        case .rateLimited, .timeout, .network: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .channelNotFound(let channel):
            "Telegram channel @\(channel) does not exist (t.me has no such username)"
        case .noPublicPreview(let channel):
            "@\(channel) has no public web preview (it may be a private-preview channel, a group, a user or a bot); "
                + "subscribe through a feed or add the bot as a channel administrator instead"
        case .layoutChanged(let channel, let detail):
            "the t.me preview page of @\(channel) was not recognised (\(detail)); Telegram may have changed its layout"
        case .httpStatus(let status, let url): "\(Self.shown(url)) answered HTTP \(status)"
        case .rateLimited(let url, let after):
            "\(Self.shown(url)) is rate limiting us (HTTP 429)" + (after.map { ", retry after \(Int($0)) s" } ?? "")
        case .timeout(let url): "\(Self.shown(url)) did not answer in time"
        case .network(let url, let detail): "could not reach \(Self.shown(url)): \(detail)"
        case .tooLarge(let url, let limit): "\(Self.shown(url)) sent more than \(limit / 1024) KB"
        case .invalidFeed(let url, let detail): "\(Self.shown(url)) is not a valid RSS or Atom feed: \(detail)"
        case .forbiddenAddress(let url, let address):
            "\(Self.shown(url)) resolves to \(address), a loopback or private address; such feeds are refused "
                + "unless GAZETTE_ALLOW_PRIVATE_SOURCES=1"
        case .unsupported(let kind): "\(kind.rawValue) channels are not fetched over HTTP"
        case .account(let channel, let reason): "reading \(channel) through the Telegram user account failed: \(reason)"
        }
    }

    /// URLs in messages lose their query (it may carry credentials of a user-supplied feed) and are shortened.
    static func shown(_ url: String) -> String {
        var s = url
        if var components = URLComponents(string: url) {
            components.query = nil
            components.user = nil
            components.password = nil
            s = components.string ?? url
        }
        return s.count > 120 ? String(s.prefix(117)) + "…" : s
    }
}
