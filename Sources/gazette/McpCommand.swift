import ArgumentParser
import GazetteApp
import GazetteCore
import GazetteObservability

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
        let config = try loadConfig { flags in
            db.apply(to: &flags); fetch.apply(to: &flags); summarizer.apply(to: &flags); log.apply(to: &flags)
        }
        let logger = LogSetup.bootstrap(config, label: "gazette.mcp")
        try await reporting {
            try await GazetteProcess.stdio(config: config, options: .init(migrate: !db.noMigrate), logger: logger)
        }
    }
}
