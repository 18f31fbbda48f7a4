import ArgumentParser
import GazetteApp
import GazetteCore
import GazetteMCP
import GazetteObservability

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
        let config = try loadConfig { flags in
            server.apply(to: &flags); db.apply(to: &flags); fetch.apply(to: &flags)
            summarizer.apply(to: &flags); log.apply(to: &flags)
        }
        let logger = LogSetup.bootstrap(config, label: "gazette.serve")
        do {
            try HTTPServerOptions(config: config, insecureNoAuth: server.insecureNoAuth).validate()
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
