import ArgumentParser
import GazetteCore

struct DigestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Build one digest offline from the database (or from sample posts with --demo)."
    )

    @Option(name: .long, help: "Telegram user id whose subscriptions make the digest.") var user: Int64?
    @Option(name: .long, help: "Window in hours (1…168).") var hours = 24
    @Option(name: .long, help: "pdf, markdown or text.") var format = "pdf"
    @Option(name: .long, help: "Output file.") var out: String
    @Flag(name: .long, help: "Use the sample posts shipped with Gazette: no database, no network.") var demo = false
    @OptionGroup var db: DatabaseOptions
    @OptionGroup var summarizer: SummarizerOptions
    @OptionGroup var log: LogOptions

    func run() async throws {
        try notBuiltYet("digest")
    }
}
