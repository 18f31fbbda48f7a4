import ArgumentParser
import GazetteCore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the MCP server: Streamable HTTP at /mcp, the REST API, /metrics and health (default 127.0.0.1:8004)."
    )

    @OptionGroup var server: ServerOptions
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var fetch: FetchOptions
    @OptionGroup var summarizer: SummarizerOptions
    @OptionGroup var log: LogOptions

    func run() async throws {
        try notBuiltYet("serve")
    }
}
