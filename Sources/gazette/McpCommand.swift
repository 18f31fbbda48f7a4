import ArgumentParser
import GazetteCore

struct McpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the MCP tools over stdio, for desktop AI clients.",
        discussion: "Logs go to standard error; standard output carries only MCP messages."
    )

    @OptionGroup var db: DatabaseOptions
    @OptionGroup var fetch: FetchOptions
    @OptionGroup var summarizer: SummarizerOptions
    @OptionGroup var log: LogOptions

    func run() async throws {
        try notBuiltYet("mcp")
    }
}
