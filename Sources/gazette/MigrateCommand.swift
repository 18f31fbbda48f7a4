import ArgumentParser
import GazetteCore
import GazetteObservability

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply database migrations (also done at start-up unless --no-migrate)."
    )

    @OptionGroup var db: DatabaseOptions
    // `--no-migrate` is among the database options every command shares; `migrate` migrates regardless.
    @OptionGroup var log: LogOptions

    func run() async throws {
        let config = try loadConfig { db.apply(to: &$0); log.apply(to: &$0) }
        let logger = LogSetup.bootstrap(config, label: "gazette.migrate")
        let version = try await withStore(config, migrate: true, logger: logger) { try await $0.schemaVersion() }
        print("database \(Secret.redactingPassword(inURL: config.databaseURL)) is at schema version \(version)")
    }
}
