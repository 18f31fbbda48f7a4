/// At most `limit` requests in flight per host; further requests wait their turn (first come, first served).
actor HostLimiter {
    private let limit: Int
    private var active: [String: Int] = [:]
    private var waiters: [String: [(id: Int, continuation: CheckedContinuation<Void, any Error>)]] = [:]
    private var nextID = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Runs `body` once a slot for `host` is free. A task cancelled while waiting throws `CancellationError`.
    func run<T: Sendable>(host: String, _ body: @Sendable () async throws -> T) async throws -> T {
        try await acquire(host)
        defer { release(host) }
        return try await body()
    }

    private func acquire(_ host: String) async throws {
        if active[host, default: 0] < limit {
            active[host, default: 0] += 1
            return
        }
        nextID += 1
        let id = nextID
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters[host, default: []].append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(host: host, id: id) }
        }
    }

    /// Hands the slot to the next waiter, or frees it.
    private func release(_ host: String) {
        if var queue = waiters[host], !queue.isEmpty {
            let next = queue.removeFirst()
            waiters[host] = queue.isEmpty ? nil : queue
            next.continuation.resume()
            return
        }
        let n = active[host, default: 1] - 1
        active[host] = n > 0 ? n : nil
    }

    private func cancelWaiter(host: String, id: Int) {
        guard var queue = waiters[host], let index = queue.firstIndex(where: { $0.id == id }) else { return }
        let waiter = queue.remove(at: index)
        waiters[host] = queue.isEmpty ? nil : queue
        waiter.continuation.resume(throwing: CancellationError())
    }

    /// Requests in flight for `host` (for tests).
    func inFlight(_ host: String) -> Int { active[host, default: 0] }
}
