import Foundation
import GazetteCore
import Synchronization

/// The answer of one named health check.
public struct HealthCheckResult: Sendable, Codable, Equatable {
    public var ok: Bool
    public var detail: String
    public init(ok: Bool, detail: String) {
        self.ok = ok
        self.detail = detail
    }
}

/// What `/health` returns: every check with its detail, the overall status and the version.
public struct HealthReport: Sendable, Codable, Equatable {
    public var status: String
    public var ready: Bool
    public var version: String
    public var checks: [String: HealthCheckResult]
}

/// Named readiness checks of one process (database reachable, worker pass recent, …).
///
/// Checks are registered by the parts a process runs; `/health/ready` is 200 only when all pass.
/// The last report is kept so `/metrics` can expose `gazette_ready` without running checks on every scrape.
public final class HealthRegistry: Sendable {
    public typealias Check = @Sendable () async -> HealthCheckResult

    private let checks = Mutex<[(String, Check)]>([])
    private let last = Mutex<HealthReport?>(nil)
    /// Each check gets this long before it counts as failed.
    public let timeout: Duration
    private let clock: any GazetteClock

    /// Each check gets `timeout` on `clock` (tests pass a simulated one).
    public init(timeout: Duration = .seconds(3), clock: any GazetteClock = SystemClock()) {
        self.timeout = timeout
        self.clock = clock
    }

    public func register(_ name: String, check: @escaping Check) {
        checks.withLock { list in
            list.removeAll { $0.0 == name }
            list.append((name, check))
        }
    }

    /// Runs every check concurrently, each bounded by `timeout`.
    public func report() async -> HealthReport {
        let current = checks.withLock { $0 }
        let timeout = self.timeout
        let clock = self.clock
        let results = await withTaskGroup(of: (String, HealthCheckResult).self) { group in
            for (name, check) in current {
                group.addTask {
                    // Nil when the time ran out (or the report itself was cancelled): the check counts as failed.
                    let result = try? await clock.withTimeout(seconds: timeout.inSeconds) { await check() }
                    return (name, (result ?? nil) ?? HealthCheckResult(ok: false, detail: "check timed out after \(timeout)"))
                }
            }
            var out: [String: HealthCheckResult] = [:]
            for await (name, result) in group { out[name] = result }
            return out
        }
        let ready = results.values.allSatisfy(\.ok)
        let report = HealthReport(status: ready ? "ok" : "degraded", ready: ready, version: GazetteVersion.current, checks: results)
        last.withLock { $0 = report }
        return report
    }

    /// The most recent report, if any check ran yet.
    public var lastReport: HealthReport? { last.withLock { $0 } }
}

extension HealthRegistry {
    /// The `database` readiness check every process registers: ready while the store answers a ping.
    public func registerDatabaseCheck(_ store: any GazetteStore) {
        register("database") {
            do {
                try await store.ping()
                return HealthCheckResult(ok: true, detail: "reachable")
            } catch {
                return HealthCheckResult(ok: false, detail: "unreachable: \(error)")
            }
        }
    }
}
