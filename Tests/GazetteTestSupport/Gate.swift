import Synchronization

/// Where a fake holds a request until the test lets it go: a server that "never answers in time" without any sleep.
/// The test sees how many wait (`waiting`); `release()` lets every current and later one through (the `with…`
/// harnesses release at the end, so a server can always shut down). A waiter whose task is cancelled leaves at once.
public final class Gate: Sendable {
    private struct State {
        var open = false
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var cancelled: Set<Int> = []
        var nextID = 0
        var arrived = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Waits until the gate is released (at once when it already is) or the task is cancelled.
    public func wait() async {
        let id = state.withLock { state in
            state.nextID += 1
            state.arrived += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let passes = state.withLock { state in
                    if state.open || state.cancelled.remove(id) != nil { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if passes { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                guard let waiter = state.waiters.removeValue(forKey: id) else {
                    state.cancelled.insert(id)
                    return nil as CheckedContinuation<Void, Never>?
                }
                return waiter
            }
            waiter?.resume()
        }
    }

    /// How many are held right now.
    public var waiting: Int { state.withLock { $0.waiters.count } }

    /// How many have arrived in all (held, let through or gone).
    public var arrived: Int { state.withLock { $0.arrived } }

    /// Lets everyone through, now and from now on.
    public func release() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }
}
