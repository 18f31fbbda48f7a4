import ArgumentParser
import GazetteApp
import GazetteBot
import GazetteCore
import GazetteObservability

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
    @OptionGroup var delivery: DeliveryOptions

    func run() async throws {
        let config = try loadConfig {
            bot.apply(to: &$0); metrics.apply(to: &$0); db.apply(to: &$0); summarizer.apply(to: &$0); log.apply(to: &$0)
            delivery.apply(to: &$0)
        }
        guard config.botToken != nil else {
            printError("error: \(BotStartError.noToken)")
            throw ExitCode(64)
        }
        let logger = LogSetup.bootstrap(config, label: "gazette.bot")
        try await reporting {
            try await GazetteProcess.run(.bot, config: config, options: .init(migrate: !db.noMigrate), logger: logger)
        }
    }
}
