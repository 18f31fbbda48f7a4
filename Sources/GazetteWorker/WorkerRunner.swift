import Foundation
import GazetteCore
import GazetteObservability
import GazetteSources
import Logging
import GazetteMetrics
import ServiceLifecycle
import Synchronization

/// What the `gazette worker` and `gazette fetch` commands call (the CLI only parses arguments and opens the store).
public enum WorkerRunner {
    /// `gazette worker`: passes every interval, `/metrics` and health on `--metrics-port` (default 9101), until
    /// SIGTERM/SIGINT; then the current channels are released and the process returns within 10 s.
    /// `onMetricsPort` reports the bound port (0 in `--metrics-port` is not allowed by Config; tests use it via `port`).
    public static func runWorker(config: Config, store: any GazetteStore, logger: Logger,
                                 onMetricsPort: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let observability = Observability()
        let store = observability.instrument(store)
        let sources = Sources(config: config, metrics: SourceMetrics(registry: observability.registry), logger: logger)
        let worker = FetchWorker(store: store, sources: sources, metrics: FetcherMetrics(registry: observability.registry),
                                 settings: WorkerSettings(config: config), logger: logger)
        registerHealth(observability.health, worker: worker)
        let port = config.metricsPort ?? 9101
        let server = observability.makeServer(host: config.host, port: port, logger: logger, onRunning: onMetricsPort)
        let group = try ProcessGroup.make([
            .init(service: worker, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "fetch-worker"),
            .init(service: server, serviceName: "metrics-server"),
        ], config: config, serviceName: "gazette-worker", shutdownLimit: .seconds(8), logger: logger)
        do {
            try await group.run()
        } catch {
            await sources.shutdown()
            throw error
        }
        await sources.shutdown()
    }

    /// `gazette fetch`: one pass over the due channels (or one channel, due or not), then return the report.
    /// SIGTERM/SIGINT stop it early with the current channels released.
    public static func runFetch(config: Config, store: any GazetteStore, channel: ChannelRef?, logger: Logger,
                                progress: FetchProgress) async throws -> PassReport {
        let registry = MetricRegistry()
        let sources = Sources(config: config, metrics: SourceMetrics(registry: registry), logger: logger)
        let worker = FetchWorker(store: store, sources: sources, metrics: FetcherMetrics(registry: registry),
                                 settings: WorkerSettings(config: config), logger: logger)
        let total: Int
        if channel != nil {
            total = 1
        } else {
            do {
                total = try await store.subscribedChannels().count
            } catch {
                await sources.shutdown()
                throw error
            }
        }
        progress.start(total: total)
        let once = OneShot {
            if let channel {
                try await worker.fetchOne(channel, onChannel: progress.channelDone)
            } else {
                try await worker.runPass(onChannel: progress.channelDone)
            }
        }
        var groupConfig = ServiceGroupConfiguration(
            services: [.init(service: once, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "fetch-pass")],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfig.maximumGracefulShutdownDuration = .seconds(8)
        do {
            try await ServiceGroup(configuration: groupConfig).run()
        } catch {
            await sources.shutdown()
            throw error
        }
        await sources.shutdown()
        guard let report = once.result else { throw CancellationError() }
        progress.finish(report)
        return report
    }

    /// The worker's readiness check: its last pass finished within 3 × interval.
    public static func registerHealth(_ health: HealthRegistry, worker: FetchWorker) {
        health.register("worker") {
            let r = worker.readiness()
            return HealthCheckResult(ok: r.ok, detail: r.detail)
        }
    }
}

/// Runs one pass as a service, so signals end it the same way they end the worker.
final class OneShot: Service {
    private let body: @Sendable () async throws -> PassReport
    private let stored = Mutex<PassReport?>(nil)

    init(_ body: @escaping @Sendable () async throws -> PassReport) {
        self.body = body
    }

    var result: PassReport? { stored.withLock { $0 } }

    func run() async throws {
        let report = try await cancelWhenGracefulShutdown { try await self.body() }
        stored.withLock { $0 = report }
    }
}
