/// Storage failures, with messages for people.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database was written by a newer Gazette.
    case schemaTooNew(found: Int, supported: Int)
    /// The database has not been migrated to this binary's schema, and migrations are off (`--no-migrate`).
    case schemaBehind(found: Int, supported: Int)
    /// The database URL cannot be used.
    case invalidURL(String)
    /// Input refused before anything was written (names the field).
    case invalidInput(field: String, reason: String)
    case channelNotFound(Int64)
    /// The database could not be reached or failed; the message never contains credentials.
    case unavailable(String)

    public var description: String {
        switch self {
        case .schemaTooNew(let found, let supported):
            "the database schema is version \(found), newer than this gazette supports (\(supported)); upgrade gazette"
        case .schemaBehind(let found, let supported):
            "the database schema is version \(found) and this gazette needs \(supported); run `gazette migrate` first "
                + "(or start without --no-migrate)"
        case .invalidURL(let reason): "invalid database URL: \(reason)"
        case .invalidInput(let field, let reason): "invalid \(field): \(reason)"
        case .channelNotFound(let id): "no channel with id \(id)"
        case .unavailable(let reason): "database unavailable: \(reason)"
        }
    }

    /// A failure of the database itself (unreachable, I/O, a schema it cannot use), as opposed to input the store
    /// refused or a thing that does not exist.
    public var isDatabaseFailure: Bool {
        switch self {
        case .unavailable, .schemaTooNew, .schemaBehind: true
        case .invalidInput, .channelNotFound, .invalidURL: false
        }
    }
}

/// What kind of database work failed: the `operation` label of `database_errors_total`.
public enum StoreOperation: String, Sendable, CaseIterable {
    case read, write, migrate, ping
}

/// Told about every failed database operation, inside the store (so no wrapper has to forward every method).
/// Observability counts them; refused input and cancellation are not database failures and are not reported.
public protocol StoreObserver: Sendable {
    func databaseFailed(_ operation: StoreOperation, error: any Error)
}
