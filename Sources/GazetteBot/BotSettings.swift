import Foundation
import GazetteCore

/// What the bot needs: `--token` (`TELEGRAM_BOT_TOKEN`), `--telegram-api-base-url`, `--bot-allowed-users`.
public struct BotSettings: Sendable {
    /// Nil: no bot (`gazette bot` refuses to start, `gazette run` runs without one).
    public var token: Secret?
    public var apiBaseURL = URL(string: "https://api.telegram.org")!
    /// Nil: everyone may use the bot.
    public var allowedUsers: Set<Int64>?

    /// `apiBaseURL` nil keeps Telegram's.
    public init(token: Secret? = nil, apiBaseURL: URL? = nil, allowedUsers: Set<Int64>? = nil) {
        self.token = token
        if let apiBaseURL { self.apiBaseURL = apiBaseURL }
        self.allowedUsers = allowedUsers
    }
}
