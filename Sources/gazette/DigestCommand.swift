import ArgumentParser
import Foundation
import GazetteApp
import GazetteCore
import GazetteDigest
import GazetteObservability
import GazetteRenderCLI

struct DigestCommand: AsyncParsableCommand, ReadsOptions {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Build one digest offline from the database (or from sample posts with --demo).",
        discussion: optionHelp(Self.options)
    )
    static let options: [OptionSection] = [.database, .digest, .log]

    @Option(name: .long, help: "Telegram user id whose subscriptions make the digest.") var user: Int64?
    @Option(name: .long, help: "Window in hours (1…168).") var hours = 24
    @Option(name: .long, help: "pdf, markdown or text.") var format = "pdf"
    @Option(name: .long, help: "Output file; - writes standard output (the report then goes to standard error).") var out: String
    @Flag(name: .long, help: "Use the sample posts shipped with Gazette: no database, no network.") var demo = false
    @Flag(name: .long, help: "The earlier layout: one section per channel, no top stories.") var byChannel = false
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        guard demo || user != nil else { throw ValidationError("--user is required (or --demo for the sample posts)") }
        if let user, user <= 0 { throw ValidationError("--user must be a positive Telegram user id") }
        guard (1...168).contains(hours) else { throw ValidationError("--hours must be in 1…168") }
        guard DigestOutputFormat(rawValue: format.lowercased()) != nil else {
            throw ValidationError("--format must be pdf, markdown or text")
        }
    }

    func run() async throws {
        let config = try loadConfiguration()
        let logger = config.bootstrapLogging(label: "gazette.digest")
        let format = DigestOutputFormat(rawValue: format.lowercased()) ?? .pdf
        let export = try await reporting {
            if demo {
                return try await GazetteCommands.demoDigest(config, format: format, byChannel: byChannel, logger: logger)
            }
            return try await GazetteCommands.digest(config, userID: user ?? 0, hours: hours, format: format, byChannel: byChannel,
                                                    migrate: !db.noMigrate, logger: logger)
        }
        let toStandardOutput = out == RenderJob.standardStream
        do {
            if toStandardOutput {
                try RenderJob.writeStandardOutput(export.data)
            } else {
                try export.data.write(to: URL(fileURLWithPath: out), options: .atomic)
            }
        } catch {
            printError("error: cannot write \(toStandardOutput ? "standard output" : out): \(error.localizedDescription)")
            throw ExitCode.failure
        }
        if toStandardOutput {
            printError("\(export.report) → standard output")
        } else {
            print("\(export.report) → \(out)")
        }
    }
}
