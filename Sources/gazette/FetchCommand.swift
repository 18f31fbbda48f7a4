import ArgumentParser
import GazetteApp
import GazetteCore
import GazetteObservability
import GazetteWorker

struct FetchCommand: AsyncParsableCommand, ReadsOptions {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Run one fetch pass over the subscribed channels (or one channel), then exit. Cron-friendly.",
        discussion: optionHelp("""
        Without --channel, fetches the subscribed channels that are due (not fetched within the last interval and not \
        backing off after errors). With --channel, fetches that channel now. On a terminal it shows progress and a \
        per-channel table; otherwise it logs one line per channel. Channels only the user account reads are read through \
        it when it is logged in and no other process (a worker) holds it; otherwise one line names the channels left and \
        why. Exit 0 when the pass ran (channel errors are in the table), 1 when the database failed, 65 for an invalid \
        --channel.
        """, Self.options)
    )
    static let options: [OptionSection] = [.fetch, .privateAddresses, .database, .log, .account]

    @Option(name: .long, help: "Fetch only this channel (any accepted reference).") var channel: String?
    @Flag(name: .long, help: "One pass, then exit (the default; accepted for clarity).") var once = false
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        var ref: ChannelRef?
        if let channel {
            do { ref = try ChannelRef.parse(channel) } catch {
                printError("error: \(error)")
                throw ExitCode(65)
            }
        }
        let config = try loadConfiguration()
        let logger = config.bootstrapLogging(label: "gazette.fetch")
        let outcome = try await reporting {
            try await GazetteCommands.fetch(config, channel: ref, migrate: !db.noMigrate, logger: logger, progress: FetchProgress(logger: logger))
        }
        if let left = outcome.leftLine { printNow(left) }
    }
}
