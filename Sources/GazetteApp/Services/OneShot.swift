import ServiceLifecycle
import Synchronization

/// One piece of work run as a service, so that SIGTERM/SIGINT end it the way they end the long-running processes
/// (`gazette fetch`'s pass); its result is kept for the command.
final class OneShot<Result: Sendable>: Service {
    private let body: @Sendable () async throws -> Result
    private let stored = Mutex<Result?>(nil)

    init(_ body: @escaping @Sendable () async throws -> Result) {
        self.body = body
    }

    /// Nil when the work was cancelled before it finished.
    var result: Result? { stored.withLock { $0 } }

    func run() async throws {
        let result = try await cancelWhenGracefulShutdown { try await self.body() }
        stored.withLock { $0 = result }
    }
}
