import Foundation
import GazetteCore
import GazetteObservability
import GazetteSources
import Logging
import GazetteMetrics
import ServiceLifecycle
import Synchronization

/// `gazette fetch`: one pass, then exit (the long-running `gazette worker` is assembled in GazetteApp).
public enum WorkerRunner {
    /// One pass over the due channels (or one channel, due or not), then return the report.
    /// SIGTERM/SIGINT stop it early with the current channels released.
    public static func runFetch(config: Config, store: any WorkerStore, channel: ChannelRef?, logger: Logger,
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
                total = try await store.subscribedChannelCount()
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
}

extension FetchWorker {
    /// The worker's readiness check (`worker`): its last pass finished within 3 × interval.
    public func register(in health: HealthRegistry) {
        health.register("worker") { [self] in
            let r = readiness()
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
