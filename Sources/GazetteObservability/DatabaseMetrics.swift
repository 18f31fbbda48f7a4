import GazetteCore
import GazetteMetrics

/// `database_errors_total{operation}`: failures of the database itself (unreachable, I/O, constraint
/// surprises), not refused input. Every value is registered at 0 so rates and alerts work from the start.
public struct DatabaseMetrics: Sendable {
    public enum Operation: String, Sendable, CaseIterable { case read, write, migrate, ping }

    private let errors: [Operation: Counter]

    public init(registry: MetricRegistry) {
        var errors: [Operation: Counter] = [:]
        for operation in Operation.allCases {
            errors[operation] = registry.makeCounter(
                name: "database_errors_total", labels: [("operation", operation.rawValue)],
                help: "Database operations that failed, by kind of operation.")
        }
        self.errors = errors
    }

    /// Counts `error` when it is a failure of the database rather than input the store refused.
    public func record(_ error: any Error, operation: Operation) {
        if let storeError = error as? StoreError {
            switch storeError {
            case .invalidInput, .channelNotFound, .invalidURL: return
            case .unavailable, .schemaTooNew: break
            }
        }
        if error is CancellationError { return }
        errors[operation]?.increment()
    }
}
