import ArgumentParser
import GazetteCore

struct BotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bot",
        abstract: "Run the Telegram bot (long polling); /metrics and health on --metrics-port (default 9102).",
        discussion: "The token is read from TELEGRAM_BOT_TOKEN (preferred) or --token."
    )

    @OptionGroup var bot: BotOptions
    @OptionGroup var metrics: MetricsOptions
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var summarizer: SummarizerOptions
    @OptionGroup var log: LogOptions

    func run() async throws {
        try notBuiltYet("bot")
    }
}
