import GazetteSources

/// The `error_type` of a failed channel (`post_fetcher_errors_total`, the pass report, spans and log lines): every
/// source failure, plus the database. A fixed set, so a label cannot drift from its cause.
public enum FetchErrorType: String, Sendable, CaseIterable {
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
    case database

    public init(_ source: SourceError.ErrorType) {
        switch source {
        case .channelNotFound: self = .channelNotFound
        case .noPublicPreview: self = .noPublicPreview
        case .layoutChanged: self = .layoutChanged
        case .httpError: self = .httpError
        case .rateLimited: self = .rateLimited
        case .timeout: self = .timeout
        case .network: self = .network
        case .tooLarge: self = .tooLarge
        case .invalidFeed: self = .invalidFeed
        case .forbiddenAddress: self = .forbiddenAddress
        }
    }
}
