import ArgumentParser
import GazetteCore
import GazetteStorage
import Logging

/// Opens the configured store, applies migrations unless told not to, runs `body`, and always closes the store.
/// Storage errors end the command with their message (exit 1), never a stack trace.
func withStore<T>(_ config: Config, migrate: Bool = true, logger: Logger,
                  _ body: (any GazetteStore) async throws -> T) async throws -> T {
    let store: any GazetteStore
    do {
        store = try await StoreFactory.open(databaseURL: config.databaseURL, logger: logger)
    } catch {
        printError("error: \(error)")
        throw ExitCode.failure
    }
    do {
        if migrate { try await store.migrate() }
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
