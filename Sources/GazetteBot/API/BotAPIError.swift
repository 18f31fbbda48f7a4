import Foundation

/// A failed Bot API call. Messages never contain the token or the request URL.
public enum BotAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 401: the token is wrong or revoked. Fatal; never retried.
    case unauthorized
    /// 409: another `getUpdates` poller or a webhook is active for this bot.
    case conflict(String)
    /// 429: flood control; wait `retryAfter` seconds.
    case tooManyRequests(retryAfter: Int)
    /// 400: the request was wrong (e.g. message too long, chat not found).
    case badRequest(String)
    /// 403: the user blocked the bot or the bot was removed from the chat.
    case forbidden(String)
    /// 5xx or an unexpected status.
    case server(status: Int, String)
    /// The connection failed or was cut.
    case network(String)
    case timeout
    /// The answer was not the JSON the Bot API specifies.
    case invalidResponse(String)

    /// `bot_messages_failed_total{error_type}` values (docs/METRICS.md).
    public enum Kind: String, Sendable, CaseIterable {
        case rateLimited = "rate_limited", badRequest = "bad_request", forbidden, network, serverError = "server_error"
    }

    public var kind: Kind {
        switch self {
        case .tooManyRequests: .rateLimited
        case .badRequest: .badRequest
        case .unauthorized, .forbidden: .forbidden
        case .network, .timeout: .network
        case .conflict, .server, .invalidResponse: .serverError
        }
    }

    /// Worth another attempt after a pause.
    public var isTransient: Bool {
        switch self {
        case .tooManyRequests, .network, .timeout, .server: true
        case .unauthorized, .conflict, .badRequest, .forbidden, .invalidResponse: false
        }
    }

    public var description: String {
        switch self {
        case .unauthorized:
            "the Telegram Bot API rejected the bot token (401 Unauthorized); check TELEGRAM_BOT_TOKEN (get a token from @BotFather)"
        case .conflict(let d):
            "another process is already receiving this bot's updates (409 Conflict: \(d)); run only one `gazette bot` per token and delete any webhook"
        case .tooManyRequests(let s): "Telegram flood control: retry after \(s) s"
        case .badRequest(let d): "Telegram refused the request (400): \(d)"
        case .forbidden(let d): "Telegram refused the request (403): \(d)"
        case .server(let status, let d): "Telegram Bot API error \(status): \(d)"
        case .network(let d): "cannot reach the Telegram Bot API: \(d)"
        case .timeout: "the Telegram Bot API did not answer in time"
        case .invalidResponse(let d): "unexpected answer from the Telegram Bot API: \(d)"
        }
    }
}
