import Foundation
import GazetteCore
import GazetteObservability
import GazetteSources
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Brings the database up before the parts that need it: a long-running process starts even when the database is
/// unreachable (`/health/live` answers, `/health/ready` is 503 with the reason), tries again with backoff, logging
/// one line per attempt, then migrates (or, with `--no-migrate`, checks the schema) and opens the gate for the
/// worker and the bot. A schema that this binary cannot use ends the process with one line saying what to do.
final class DatabaseStartup: Service, CustomStringConvertible {
    let description = "database-startup"
    private let store: any GazetteStore
    private let migrate: Bool
    private let backoff: Backoff
    private let clock: any GazetteClock
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var ready = false
        var lastError: String?
        var attempts = 0
        var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
        var nextWaiter = 0
    }

    init(store: any GazetteStore, migrate: Bool, logger: Logger, clock: any GazetteClock = SystemClock(),
         backoff: Backoff = Backoff(base: 1, cap: 30, jitter: 0.2)) {
        self.store = store
        self.migrate = migrate
        self.backoff = backoff
        self.clock = clock
        self.logger = logger
    }

    /// The `database` readiness check: not ready while starting (with the last reason), then the store's ping.
    func register(in health: HealthRegistry) {
        health.register("database") { [self] in
            let (ready, lastError) = state.withLock { ($0.ready, $0.lastError) }
            guard ready else {
                return HealthCheckResult(ok: false, detail: "starting: " + (lastError.map { "database unreachable: \($0)" } ?? "connecting"))
            }
            do {
                try await store.ping()
                return HealthCheckResult(ok: true, detail: "reachable")
            } catch {
                return HealthCheckResult(ok: false, detail: "unreachable: \(error)")
            }
        }
    }

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await self.bringUp() }
        } catch is CancellationError {
            return  // shut down while waiting for the database
        }
    }

    /// `database_startup_attempts_total{outcome}`, through the standard swift-metrics API (the process's registry
    /// answers it: `Telemetry.bootstrap`): how many tries start-up needed.
    private func countAttempt(_ outcome: String) {
        Metrics.Counter(label: "database_startup_attempts_total", dimensions: [("outcome", outcome)]).increment()
    }

    private func bringUp() async throws {
        while true {
            let attempt = state.withLock { s -> Int in
                s.attempts += 1
                return s.attempts
            }
            do {
                try await store.prepareSchema(migrate: migrate)
                countAttempt("ok")
                let waiters = state.withLock { s -> [CheckedContinuation<Void, any Error>] in
                    s.ready = true
                    s.lastError = nil
                    defer { s.waiters = [:] }
                    return Array(s.waiters.values)
                }
                if attempt > 1 { logger.info("database reachable; starting", metadata: ["attempts": "\(attempt)"]) }
                for waiter in waiters { waiter.resume() }
                return
            } catch let error as StoreError {
                switch error {
                case .schemaBehind, .schemaTooNew, .invalidURL: throw error
                case .unavailable, .invalidInput, .channelNotFound: try await retry(after: error, attempt: attempt)
                }
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                try await retry(after: error, attempt: attempt)
            }
        }
    }

    private func retry(after error: any Error, attempt: Int) async throws {
        countAttempt("failed")
        let wait = backoff.delay(failures: attempt, unit: Double.random(in: 0...1))
        state.withLock { $0.lastError = "\(error)" }
        logger.error("database unreachable (attempt \(attempt)): \(error); retrying in \(String(format: "%.0f", wait)) s")
        try await clock.sleep(seconds: wait)
    }

    /// Returns once the database is ready (at once when it already is); throws `CancellationError` when the
    /// waiting task is cancelled first.
    func waitUntilReady() async throws {
        let id = state.withLock { s -> Int in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.ready { return true }
                    s.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
                if Task.isCancelled { cancelWaiter(id) }
            }
        } onCancel: {
            cancelWaiter(id)
        }
    }

    private func cancelWaiter(_ id: Int) {
        let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
        waiter?.resume(throwing: CancellationError())
    }

    var isReady: Bool { state.withLock { $0.ready } }
}

/// A service that needs the database: it starts once `DatabaseStartup` has brought the database up, and returns
/// without running when the process shuts down first.
struct AfterDatabase: Service, CustomStringConvertible {
    let service: any Service
    let startup: DatabaseStartup
    let description: String

    init(_ service: any Service, startup: DatabaseStartup, name: String) {
        self.service = service
        self.startup = startup
        self.description = name
    }

    func run() async throws {
        let startup = self.startup
        do {
            try await cancelWhenGracefulShutdown { try await startup.waitUntilReady() }
        } catch is CancellationError {
            return  // the process shut down before the database came up
        }
        try await service.run()
    }
}
