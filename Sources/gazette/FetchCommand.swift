import ArgumentParser
import GazetteCore

struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Run one fetch pass over the subscribed channels (or one channel), then exit. Cron-friendly."
    )

    @Option(name: .long, help: "Fetch only this channel (any accepted reference).") var channel: String?
    @Flag(name: .long, help: "One pass, then exit (the default; accepted for clarity).") var once = false
    @OptionGroup var fetch: FetchOptions
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var log: LogOptions

    func run() async throws {
        try notBuiltYet("fetch")
    }
}
