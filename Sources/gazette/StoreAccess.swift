import ArgumentParser
import GazetteCore
import GazetteObservability
import GazetteStorage
import Logging

/// Opens the configured store for a command that needs the database at once: migrations are applied, or with
/// `migrate: false` (`--no-migrate`) the schema is only checked, and a database behind this binary stops the
/// command with one line telling the user to run `gazette migrate`. Runs `body` and always closes the store.
/// Storage errors end the command with their message (exit 1), never a stack trace.
func withStore<T>(_ config: Config, migrate: Bool, logger: Logger,
                  _ body: (any GazetteStore) async throws -> T) async throws -> T {
    let store: any GazetteStore
    do {
        store = try await StoreFactory.open(databaseURL: config.databaseURL, migrate: migrate, logger: logger)
    } catch {
        printError("error: \(error)")
        throw ExitCode.failure
    }
    do {
        let result = try await body(store)
        await store.shutdown()
        return result
    } catch let exit as ExitCode {
        await store.shutdown()
        throw exit
    } catch {
        await store.shutdown()
        printError("error: \(error)")
        throw ExitCode.failure
    }
}

/// `withStore` for a command with the database and log options: loads the configuration, bootstraps logging under
/// `label`, and migrates unless `--no-migrate` was given.
func withStore<T>(_ db: DatabaseOptions, _ log: LogOptions, label: String,
                  _ body: (any GazetteStore) async throws -> T) async throws -> T {
    let config = try loadConfig { db.apply(to: &$0); log.apply(to: &$0) }
    return try await withStore(config, migrate: !db.noMigrate, logger: LogSetup.bootstrap(config, label: label), body)
}

/// Runs a long-running process; a failure to start or a fatal error ends it with its message on one line.
func runProcess(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        printError("error: \(error)")
        throw ExitCode.failure
    }
}
