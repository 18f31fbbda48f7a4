import ArgumentParser
import GazetteApp
import GazetteCore
import GazetteObservability

struct McpCommand: AsyncParsableCommand, ReadsOptions {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the MCP tools over stdio, for desktop AI clients.",
        discussion: optionHelp("Logs go to standard error; standard output carries only MCP messages."
    , Self.options))
    static let options: [OptionSection] = [.database, .fetch, .privateAddresses, .digest, .log]

    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let config = try loadConfiguration()
        let logger = config.bootstrapLogging(label: "gazette.mcp")
        try await reporting {
            try await GazetteProcess.stdio(config: config, options: .init(migrate: !db.noMigrate), logger: logger)
        }
    }
}
