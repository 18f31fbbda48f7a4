import GazetteMetrics

/// Every metric the bot records, built once from the process's registry (docs/METRICS.md).
///
/// Label values come from fixed enums and are all created up front, so each series exists (at 0) from the first
/// scrape and alert ratios never divide by a missing series.
public struct BotMetrics: Sendable {
    /// `bot_digest_errors_total{error_type}` values.
    public enum DigestError: String, Sendable, CaseIterable {
        case database, renderFailed = "render_failed", sendFailed = "send_failed", rateLimited = "rate_limited", timeout
    }

    /// Bot API methods counted by `bot_messages_sent_total{method}`.
    public enum Method: String, Sendable, CaseIterable {
        case sendMessage, sendDocument, editMessageText, answerCallbackQuery, sendChatAction
    }

    public let digestRequests: Counter
    public let digestCacheHits: Counter
    private let digestErrors: [DigestError: Counter]
    private let sent: [Method: Counter]
    private let failed: [BotAPIError.Kind: Counter]
    /// Updates taken from `getUpdates`, by kind; bounded by `Update.allowedKinds` plus `other`.
    private let updates: [String: Counter]
    public let digestDuration: Histogram

    public init(registry: MetricRegistry) {
        digestRequests = registry.makeCounter(name: "bot_digest_requests_total", help: "Digests requested from the bot (commands, buttons and daily deliveries).")
        digestCacheHits = registry.makeCounter(name: "bot_digest_cache_hits_total", help: "Digest requests answered without building a digest: a stored PDF, or nothing new since the last delivery.")
        var errors: [DigestError: Counter] = [:]
        for kind in DigestError.allCases {
            errors[kind] = registry.makeCounter(name: "bot_digest_errors_total", labels: [("error_type", kind.rawValue)],
                                                help: "Digest requests that failed, by error type.")
        }
        digestErrors = errors
        var sent: [Method: Counter] = [:]
        for method in Method.allCases {
            sent[method] = registry.makeCounter(name: "bot_messages_sent_total", labels: [("method", method.rawValue)],
                                                help: "Bot API send calls that succeeded, by method.")
        }
        self.sent = sent
        var failed: [BotAPIError.Kind: Counter] = [:]
        for kind in BotAPIError.Kind.allCases {
            failed[kind] = registry.makeCounter(name: "bot_messages_failed_total", labels: [("error_type", kind.rawValue)],
                                                help: "Bot API send calls that failed (each attempt), by error type.")
        }
        self.failed = failed
        var updates: [String: Counter] = [:]
        for kind in Update.allowedKinds + ["other"] {
            updates[kind] = registry.makeCounter(name: "bot_updates_total", labels: [("kind", kind)],
                                                 help: "Updates received from getUpdates, by kind.")
        }
        self.updates = updates
        digestDuration = registry.makeHistogram(
            name: "bot_digest_duration_seconds",
            buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
            help: "Time from a digest request to the digest being handed to Telegram.")
    }

    public func digestError(_ kind: DigestError) { digestErrors[kind]?.increment() }
    public func messageSent(_ method: Method) { sent[method]?.increment() }
    public func messageFailed(_ kind: BotAPIError.Kind) { failed[kind]?.increment() }
    public func updateReceived(kind: String) { (updates[kind] ?? updates["other"])?.increment() }
}
