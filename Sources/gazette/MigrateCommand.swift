import ArgumentParser
import GazetteApp
import GazetteCore
import GazetteObservability

struct MigrateCommand: AsyncParsableCommand, ReadsOptions {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply database migrations (also done at start-up unless --no-migrate).",
        discussion: optionHelp(Self.options)
    )
    static let options: [OptionSection] = [.database, .log]

    @OptionGroup var db: DatabaseOptions
    // `--no-migrate` is among the database options every command shares; `migrate` migrates regardless.

    func run() async throws {
        let config = try loadConfiguration()
        let logger = config.bootstrapLogging(label: "gazette.migrate")
        let version = try await withStore(config, migrate: true, logger: logger) { try await $0.schemaVersion() }
        print("database \(Secret.redactingPassword(inURL: config.databaseURL)) is at schema version \(version)")
    }
}
