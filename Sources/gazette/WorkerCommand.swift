import ArgumentParser
import GazetteCore

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the post fetcher: a pass at start, then every --interval; /metrics and health on --metrics-port (default 9101)."
    )

    @OptionGroup var metrics: MetricsOptions
    @OptionGroup var fetch: FetchOptions
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var log: LogOptions

    func run() async throws {
        try notBuiltYet("worker")
    }
}
