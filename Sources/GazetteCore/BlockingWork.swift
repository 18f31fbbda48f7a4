import Dispatch

/// Runs CPU-bound synchronous work (HTML and feed parsing, summarizing, PDF rendering) on threads of its own
/// instead of Swift's cooperative pool.
///
/// The cooperative pool has one thread per core and also runs every HTTP handler. With two cores, two 11 ms
/// page parses of a worker pass held both threads, and a `/metrics` scrape or a tool call waited for them: the
/// scrape's p99 was 10–18 ms against a 0.3 ms median (docs/BENCHMARKS.md). Work sent here runs on a
/// non-cooperative dispatch queue, so the kernel time-slices it with the handlers instead of queueing them.
public enum BlockingWork {
    private static let queue = DispatchQueue(label: "gazette.blocking-work", qos: .utility, attributes: .concurrent)

    /// Non-throwing work is `E == Never`, so callers write `await BlockingWork.run { … }` without `try`.
    public static func run<T: Sendable, E: Error>(_ body: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Result { () throws(E) -> T in try body() }) }
        }
        return try result.get()
    }
}
