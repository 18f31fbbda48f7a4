import GazetteCore
import GazetteMetrics

/// `database_errors_total{operation}`: failures of the database itself (unreachable, I/O, constraint
/// surprises), not refused input. Every value is registered at 0 so rates and alerts work from the start.
/// The process's store reports to it directly (`StoreObserver`), so no wrapper forwards every store method.
public struct DatabaseMetrics: StoreObserver {
    private let errors: [StoreOperation: Counter]

    public init(registry: MetricRegistry) {
        var errors: [StoreOperation: Counter] = [:]
        for operation in StoreOperation.allCases {
            errors[operation] = registry.makeCounter(
                name: "database_errors_total", labels: [("operation", operation.rawValue)],
                help: "Database operations that failed, by kind of operation.")
        }
        self.errors = errors
    }

    public func databaseFailed(_ operation: StoreOperation, error: any Error) {
        errors[operation]?.increment()
    }
}
