import ArgumentParser
import GazetteApp
import GazetteCore
import GazetteObservability

struct WorkerCommand: AsyncParsableCommand, ReadsOptions {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the post fetcher: a pass at start, then every --interval; /metrics and health on --metrics-port (default 9101).",
        discussion: optionHelp(Self.options)
    )
    static let options: [OptionSection] = [.metrics, .fetch, .privateAddresses, .database, .log, .account]

    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let config = try loadConfiguration()
        let logger = config.bootstrapLogging(label: "gazette.worker")
        try await reporting {
            try await GazetteProcess.run(.worker, config: config, options: .init(migrate: !db.noMigrate), logger: logger)
        }
    }
}
