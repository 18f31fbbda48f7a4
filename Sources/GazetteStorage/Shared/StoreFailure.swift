import GazetteCore

/// Which failures the stores report to their `StoreObserver`: failures of the database itself, never refused input,
/// a missing row or cancellation. Decided once for both stores.
enum StoreFailure {
    static func report(_ error: any Error, _ operation: StoreOperation, to observer: (any StoreObserver)?) {
        guard let observer, !(error is CancellationError) else { return }
        if let storeError = error as? StoreError, !storeError.isDatabaseFailure { return }
        observer.databaseFailed(operation, error: error)
    }
}
