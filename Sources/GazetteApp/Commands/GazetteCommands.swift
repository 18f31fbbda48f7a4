import GazetteCore
import Logging

/// The one-shot commands (`digest`, `fetch`, `deliver`, `login`, `render`, and the store behind the management
/// commands), assembled from `ProcessParts` as the long-running processes are (`GazetteProcess`): the executable
/// parses arguments, loads the configuration and calls one of these. Errors are thrown as they are; the executable
/// turns them into one line and an exit status.
public enum GazetteCommands {
    /// Opens the configured store (migrated, or with `migrate: false` only checked: a database behind this binary is
    /// an error saying to run `gazette migrate`), runs `body` and closes the store whatever happens.
    public static func withStore<T>(_ config: Configuration, migrate: Bool, logger: Logger,
                                    _ body: (any GazetteStore) async throws -> T) async throws -> T {
        let store = try await ProcessParts.openStore(config, migrate: migrate, logger: logger)
        do {
            let result = try await body(store)
            await store.shutdown()
            return result
        } catch {
            await store.shutdown()
            throw error
        }
    }
}
