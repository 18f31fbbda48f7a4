import ArgumentParser
import GazetteCore

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "All in one: MCP/HTTP server, fetch worker and (with a token) the bot in one process, SQLite by default."
    )

    @OptionGroup var server: ServerOptions
    @OptionGroup var fetch: FetchOptions
    @OptionGroup var bot: BotOptions
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var summarizer: SummarizerOptions
    @OptionGroup var log: LogOptions

    func run() async throws {
        try notBuiltYet("run")
    }
}
