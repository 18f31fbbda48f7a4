import ArgumentParser
import GazetteApp
import GazetteBot
import GazetteCore
import GazetteObservability

struct BotCommand: AsyncParsableCommand, ReadsOptions {
    static let configuration = CommandConfiguration(
        commandName: "bot",
        abstract: "Run the Telegram bot (long polling); /metrics and health on --metrics-port (default 9102).",
        discussion: optionHelp("The token is read from TELEGRAM_BOT_TOKEN (preferred) or --token."
    , Self.options))
    static let options: [OptionSection] = [.bot, .metrics, .database, .digest, .log, .delivery]

    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let config = try loadConfiguration()
        guard config.bot.token != nil else {
            printError("error: \(BotStartError.noToken)")
            throw ExitCode(64)
        }
        let logger = config.bootstrapLogging(label: "gazette.bot")
        try await reporting {
            try await GazetteProcess.run(.bot, config: config, options: .init(migrate: !db.noMigrate), logger: logger)
        }
    }
}
