import ArgumentParser
import GazetteApp
import GazetteCore
import GazetteObservability

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the post fetcher: a pass at start, then every --interval; /metrics and health on --metrics-port (default 9101)."
    )

    @OptionGroup var metrics: MetricsOptions
    @OptionGroup var fetch: FetchOptions
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var log: LogOptions
    @OptionGroup var account: AccountOptions

    func run() async throws {
        let config = try loadConfig { metrics.apply(to: &$0); fetch.apply(to: &$0); db.apply(to: &$0); log.apply(to: &$0); account.apply(to: &$0) }
        let logger = LogSetup.bootstrap(config, label: "gazette.worker")
        try await reporting {
            try await GazetteProcess.run(.worker, config: config, options: .init(migrate: !db.noMigrate), logger: logger)
        }
    }
}
