import Foundation
import GazetteCore
import Synchronization

/// The one simulated clock of the tests: time moves only when a test moves it, so nothing depends on how fast or how
/// loaded the machine is. A `sleep` waits until the test has moved time past its end (`advance`, `set`,
/// `advanceToNextSleeper`) or its task is cancelled; timeouts built on the clock (`GazetteClock.withTimeout`) expire
/// the same way. Every pause asked for is recorded in `sleeps`.
///
/// With `advancesOnSleep`, a sleep instead moves time forward by its length and returns at once: for code that only
/// paces itself (flood control, retry backoff), where the test checks the pauses rather than steering them.
public final class ManualClock: GazetteClock {
    private struct Sleeper {
        var deadline: Date
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleeps: [Double] = []
        var sleepers: [Int: Sleeper] = [:]
        /// Sleeps cancelled before they were registered.
        var cancelled: Set<Int> = []
        var nextID = 0
    }

    /// 2024-05-17 08:00 UTC, a fixed point so that dates in tests are reproducible.
    public static let defaultStart = Date(timeIntervalSince1970: 1_715_932_800)

    private let state: Mutex<State>
    private let advancesOnSleep: Bool

    public init(_ start: Date = ManualClock.defaultStart, advancesOnSleep: Bool = false) {
        state = Mutex(State(now: start))
        self.advancesOnSleep = advancesOnSleep
    }

    public func now() -> Date { state.withLock { $0.now } }

    /// Every pause asked for, in order (zero and negative ones included).
    public var sleeps: [Double] { state.withLock { $0.sleeps } }

    /// How many sleeps are waiting for time to move.
    public var sleepers: Int { state.withLock { $0.sleepers.count } }

    /// The lengths of the sleeps waiting right now, shortest first.
    public var waiting: [Double] {
        state.withLock { state in state.sleepers.values.map { $0.deadline.timeIntervalSince(state.now) }.sorted() }
    }

    public func sleep(seconds: Double) async throws {
        try Task.checkCancellation()
        if advancesOnSleep || seconds <= 0 {
            let due = state.withLock { state in
                state.sleeps.append(seconds)
                return Self.move(&state, to: state.now.addingTimeInterval(advancesOnSleep ? max(0, seconds) : 0))
            }
            Self.wake(due)
            await Task.yield()
            return
        }
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLock { state in
                    state.sleeps.append(seconds)
                    if state.cancelled.remove(id) != nil { return true }
                    state.sleepers[id] = Sleeper(deadline: state.now.addingTimeInterval(seconds), continuation: continuation)
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let sleeper = state.withLock { state in
                guard let sleeper = state.sleepers.removeValue(forKey: id) else {
                    state.cancelled.insert(id)
                    return nil as Sleeper?
                }
                return sleeper
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward by `seconds`; every sleep whose end has come returns.
    public func advance(_ seconds: TimeInterval) {
        Self.wake(state.withLock { Self.move(&$0, to: $0.now.addingTimeInterval(seconds)) })
    }

    /// Sets the time (forward or back); every sleep whose end has come returns.
    public func set(_ date: Date) {
        Self.wake(state.withLock { Self.move(&$0, to: date) })
    }

    /// Moves time to the end of the earliest waiting sleep (which returns), when that sleep is at most `limit` long
    /// from now. False when nothing was woken.
    @discardableResult
    public func advanceToNextSleeper(notLongerThan limit: Double = .infinity) -> Bool {
        let due = state.withLock { state -> [Sleeper] in
            guard let next = state.sleepers.values.map(\.deadline).min(), next.timeIntervalSince(state.now) <= limit else { return [] }
            return Self.move(&state, to: max(state.now, next))
        }
        Self.wake(due)
        return !due.isEmpty
    }

    /// Waits (in real time, polling with a deadline) until at least `count` sleeps wait for time to move.
    public func waitForSleepers(_ count: Int = 1, timeout: Duration = .seconds(60)) async throws -> Bool {
        try await eventually(timeout: timeout) { self.sleepers >= count }
    }

    /// Waits (in real time, with a deadline) until the only sleep waiting is one of `seconds`, then moves time past
    /// it: how a test lets a retry's pause pass without also expiring a timeout that runs on the same clock.
    public func advancePastSleep(of seconds: Double, timeout: Duration = .seconds(60)) async throws -> Bool {
        // Dates near 2024 carry about 0.2 µs of precision: lengths are compared to a microsecond.
        guard try await eventually(timeout: timeout, { self.waiting.count == 1 && abs(self.waiting[0] - seconds) < 1e-6 }) else {
            return false
        }
        advance(seconds)
        return true
    }

    /// Moves time sleep by sleep, over sleeps of at most `limit` seconds, until `condition` holds; waits in real time
    /// (with a deadline) for the code under test between steps. For loops that back off and retry: their short pauses
    /// pass, while a longer sleep on the same clock (a request's timeout, the next pass) is left alone.
    public func advance(until condition: () async throws -> Bool, overSleepsOfAtMost limit: Double,
                        timeout: Duration = .seconds(60)) async throws -> Bool {
        try await eventually(timeout: timeout) {
            if try await condition() { return true }
            advanceToNextSleeper(notLongerThan: limit)
            return try await condition()
        }
    }

    private static func move(_ state: inout State, to date: Date) -> [Sleeper] {
        state.now = date
        let due = state.sleepers.filter { $0.value.deadline <= date }
        for id in due.keys { state.sleepers.removeValue(forKey: id) }
        return due.values.sorted { $0.deadline < $1.deadline }
    }

    private static func wake(_ sleepers: [Sleeper]) {
        for sleeper in sleepers { sleeper.continuation.resume() }
    }
}
