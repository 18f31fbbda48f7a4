import ArgumentParser
import GazetteApp
import GazetteCore
import GazetteObservability

struct RunCommand: AsyncParsableCommand, ReadsOptions {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "All in one: MCP/HTTP server, fetch worker and (with a token) the bot in one process, SQLite by default.",
        discussion: optionHelp("Everything is served on one port (default 127.0.0.1:8004), including one /metrics for all parts."
    , Self.options))
    static let options: [OptionSection] = [.server, .apiTokens, .fetch, .privateAddresses, .bot, .database, .digest, .log, .account, .delivery]

    @OptionGroup var server: ServerOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let config = try loadConfiguration()
        let logger = config.bootstrapLogging(label: "gazette.run")
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
