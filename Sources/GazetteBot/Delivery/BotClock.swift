import Foundation

/// Time as the bot sees it: injected so flood control, backoff and the daily scheduler can be tested
/// without waiting in real time.
public protocol BotClock: Sendable {
    func now() -> Date
    /// Suspends for `seconds` (or returns at once when the clock is simulated). Throws when cancelled.
    func sleep(seconds: Double) async throws
}

/// The wall clock and real sleeping.
public struct SystemBotClock: BotClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(seconds: Double) async throws {
        guard seconds > 0 else { return }
        try await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
    }
}
