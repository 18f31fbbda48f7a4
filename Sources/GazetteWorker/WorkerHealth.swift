import GazetteObservability

extension FetchWorker {
    /// The worker's readiness check (`worker`): its last pass finished within 3 × interval.
    public func register(in health: HealthRegistry) {
        health.register("worker") { [self] in
            let r = readiness()
            return HealthCheckResult(ok: r.ok, detail: r.detail)
        }
    }
}
