import ArgumentParser
import GazetteAccount
import GazetteApp
import GazetteCore
import Logging

/// Runs a command's work; an error ends the command with its message on one line, never a stack trace: exit 64 for a
/// missing account option, 69 when TDLib is missing, 1 otherwise.
func reporting<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        printError("error: \(error)")
        switch error as? AccountError {
        case .missingOption, .notConfigured: throw ExitCode(64)
        case .libraryMissing: throw ExitCode(69)
        default: throw ExitCode.failure
        }
    }
}

/// The configured store for a command that needs the database at once (`GazetteCommands.withStore`): migrated, or with
/// `migrate: false` (`--no-migrate`) only checked; closed afterwards. Errors end the command with their line (exit 1).
func withStore<T>(_ config: Configuration, migrate: Bool, logger: Logger, _ body: (any GazetteStore) async throws -> T) async throws -> T {
    try await reporting { try await GazetteCommands.withStore(config, migrate: migrate, logger: logger, body) }
}

/// `withStore` for a command that reads the database and log options: loads the configuration, bootstraps logging
/// under `label`, and migrates unless `--no-migrate` was given.
func withStore<T>(_ db: DatabaseOptions, label: String, _ body: (any GazetteStore) async throws -> T) async throws -> T {
    let config = try loadConfiguration()
    return try await withStore(config, migrate: !db.noMigrate, logger: config.bootstrapLogging(label: label), body)
}
