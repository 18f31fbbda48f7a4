import Foundation

/// Exponential backoff with jitter for a failing channel, recorded as `fetch_state.next_attempt_at`.
///
/// The n-th consecutive failure waits `base · 2^(n-1)` (capped), spread by ±`jitter` so many channels that failed
/// together do not retry together, and never less than the server's `Retry-After`.
public struct Backoff: Sendable, Equatable {
    public var base: TimeInterval
    public var cap: TimeInterval
    /// Fraction of the delay added or removed at random (0.2 = ±20 %).
    public var jitter: Double

    public init(base: TimeInterval = 60, cap: TimeInterval = 6 * 3600, jitter: Double = 0.2) {
        self.base = base
        self.cap = cap
        self.jitter = min(max(jitter, 0), 1)
    }

    /// Delay after `failures` consecutive failures (1 for the first). `unit` is a random number in 0...1.
    public func delay(failures: Int, retryAfter: TimeInterval? = nil, unit: Double) -> TimeInterval {
        let exponent = Double(min(max(failures, 1) - 1, 30))
        let raw = min(cap, base * pow(2, exponent))
        let spread = raw * (1 + jitter * (2 * min(max(unit, 0), 1) - 1))
        return max(spread, retryAfter ?? 0)
    }

    public func nextAttempt(after now: Date, failures: Int, retryAfter: TimeInterval? = nil) -> Date {
        now.addingTimeInterval(delay(failures: failures, retryAfter: retryAfter, unit: Double.random(in: 0...1)))
    }
}
