import ArgumentParser
import GazetteApp
import GazetteCore
import GazetteObservability

/// `gazette deliver --once`: the daily digest scheduler's pass, once (docs/DELIVERY.md).
struct DeliverCommand: AsyncParsableCommand, ReadsOptions {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "Deliver the daily digests that are due now to every destination users chose, once, then exit.",
        discussion: optionHelp("""
        The same pass the bot and gazette run make every minute: each user's digest at most once a day (claimed in the \
        database, so running it beside a bot or twice sends nothing twice), Telegram when a bot token is set, email when \
        GAZETTE_SMTP_URL is, the feed always. Failed destinations are retried by a later pass after the backoff.
        """, Self.options)
    )
    static let options: [OptionSection] = [.bot, .delivery, .database, .digest, .log]
    @Flag(name: .long, help: "One pass, then exit (required: the long-running scheduler is part of gazette bot and gazette run).")
    var once = false
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        guard once else { throw ValidationError("add --once (the continuous scheduler runs in gazette bot and gazette run)") }
    }

    func run() async throws {
        let config = try loadConfiguration()
        let logger = config.bootstrapLogging(label: "gazette.deliver")
        var delivered = 0
        try await reporting {
            delivered = try await GazetteProcess.deliverOnce(config: config, migrate: !db.noMigrate, logger: logger)
        }
        print("\(delivered) daily digest\(delivered == 1 ? "" : "s") done")
    }
}
