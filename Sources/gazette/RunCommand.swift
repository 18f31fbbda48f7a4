import ArgumentParser
import GazetteApp
import GazetteCore
import GazetteObservability

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "All in one: MCP/HTTP server, fetch worker and (with a token) the bot in one process, SQLite by default.",
        discussion: "Everything is served on one port (default 127.0.0.1:8004), including one /metrics for all parts."
    )

    @OptionGroup var server: ServerOptions
    @OptionGroup var fetch: FetchOptions
    @OptionGroup var bot: BotOptions
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var summarizer: SummarizerOptions
    @OptionGroup var log: LogOptions
    @OptionGroup var account: AccountOptions
    @OptionGroup var delivery: DeliveryOptions

    func run() async throws {
        let config = try loadConfig {
            server.apply(to: &$0); fetch.apply(to: &$0); bot.apply(to: &$0); db.apply(to: &$0)
            summarizer.apply(to: &$0); log.apply(to: &$0); account.apply(to: &$0); delivery.apply(to: &$0)
        }
        let logger = LogSetup.bootstrap(config, label: "gazette.run")
        let command = Banner.invocation()
        try await reporting {
            try await GazetteProcess.run(.all, config: config, options: .init(migrate: !db.noMigrate, insecureNoAuth: server.insecureNoAuth),
                                         logger: logger) { endpoints in
                // Written at once, not left in stdout's buffer when stdout is a pipe (docker logs, journald).
                printNow(Banner.text(endpoints, config: config, command: command))
            }
        }
    }
}
