import Foundation

/// Time as Gazette's services see it: the wall clock and sleeping, injected so backoff, leases, flood control and
/// schedules can be tested without waiting in real time. The one clock abstraction of the project.
public protocol GazetteClock: Sendable {
    func now() -> Date
    /// Suspends for `seconds` (at once for zero or less). Throws `CancellationError` when the task is cancelled.
    func sleep(seconds: Double) async throws
}

extension GazetteClock {
    /// Suspends until `date` (at once when it has passed).
    public func sleep(until date: Date) async throws {
        try await sleep(seconds: date.timeIntervalSince(now()))
    }

    /// Runs `operation` for at most `seconds` of this clock: its result, or nil when the time ran out first (the
    /// operation is then cancelled and awaited). Timeouts follow the injected clock, so tests expire them by moving
    /// time instead of racing a real server.
    public func withTimeout<T: Sendable>(seconds: Double, _ operation: @escaping @Sendable () async throws -> T) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await self.sleep(seconds: seconds)
                return nil
            }
            defer { group.cancelAll() }
            // The first to finish decides; the other is cancelled (and awaited when the group ends).
            return try await group.next() ?? nil
        }
    }
}

/// The wall clock and real sleeping.
public struct SystemClock: GazetteClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(for: .milliseconds(Int64(min(seconds, 86_400 * 365) * 1000)))
    }
}
