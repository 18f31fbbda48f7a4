import ArgumentParser
import GazetteApp
import GazetteCore
import GazetteMCP
import GazetteObservability

struct ServeCommand: AsyncParsableCommand, ReadsOptions {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the MCP server: Streamable HTTP at /mcp, the REST API, /metrics and health (default 127.0.0.1:8004).",
        discussion: optionHelp(Self.options)
    )
    static let options: [OptionSection] = [.server, .apiTokens, .database, .fetch, .privateAddresses, .digest, .log]

    @OptionGroup var server: ServerOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let config = try loadConfiguration()
        let logger = config.bootstrapLogging(label: "gazette.serve")
        var listening = config.server
        listening.insecureNoAuth = server.insecureNoAuth
        do {
            try listening.validate()
        } catch {
            printError("error: \(error)")
            throw ExitCode(64)
        }
        try await reporting {
            try await GazetteProcess.run(.serve, config: config, options: .init(migrate: !db.noMigrate, insecureNoAuth: server.insecureNoAuth),
                                         logger: logger) { endpoints in
                logger.info("gazette serve listening", metadata: ["address": "\(endpoints.baseURL)"])
            }
        }
    }
}
