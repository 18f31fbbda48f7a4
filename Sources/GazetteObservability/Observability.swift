import Foundation
import GazetteCore
import Hummingbird
import Logging
import NIOCore
import GazetteMetrics

/// The metrics registry and health checks of one process, shared by every part it runs.
public struct Observability: Sendable {
    public let registry: MetricRegistry
    public let health: HealthRegistry
    public let process: ProcessMetrics
    public let database: DatabaseMetrics

    public init(registry: MetricRegistry = MetricRegistry(), health: HealthRegistry = HealthRegistry()) {
        self.registry = registry
        self.health = health
        self.process = ProcessMetrics(registry: registry)
        self.database = DatabaseMetrics(registry: registry)
    }

    /// The media type of `scrape()`'s body (Prometheus text format 0.0.4).
    static let expositionContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The Prometheus text exposition of everything registered, with process metrics refreshed.
    public func scrape() -> ByteBuffer {
        process.update()
        if let report = health.lastReport { process.setReady(report.ready) }
        return ByteBuffer(bytes: registry.exposition())
    }

    /// Runs the checks and updates `gazette_ready`.
    public func checkHealth() async -> HealthReport {
        let report = await health.report()
        process.setReady(report.ready)
        return report
    }

    /// The pipeline handler that answers `GET /metrics` on the event loop (`ScrapeFastPath`); `record` receives
    /// each answered scrape's duration in seconds, for the HTTP metrics the router's middleware would have kept.
    public func scrapeHandler(record: @escaping @Sendable (Double) -> Void = { _ in }) -> any RemovableChannelHandler {
        let observability = self
        return ScrapeFastPath(scrape: { observability.scrape() }, record: record)
    }

    /// Adds `/metrics`, `/health`, `/health/live` and `/health/ready` to a router.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let observability = self
        router.get("/metrics") { _, _ -> Response in
            Response(status: .ok,
                     headers: [.contentType: Self.expositionContentType],
                     body: .init(byteBuffer: observability.scrape()))
        }
        router.get("/health/live") { _, _ -> Response in
            Self.json(.ok, ["status": "alive"])
        }
        router.get("/health/ready") { _, _ -> Response in
            let report = await observability.checkHealth()
            return Self.encode(report.ready ? .ok : .serviceUnavailable, report)
        }
        router.get("/health") { _, _ -> Response in
            let report = await observability.checkHealth()
            return Self.encode(report.ready ? .ok : .serviceUnavailable, report)
        }
    }

    static func json(_ status: HTTPResponse.Status, _ object: [String: String]) -> Response {
        encode(status, object)
    }

    static func encode(_ status: HTTPResponse.Status, _ value: some Encodable) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding these plain value types cannot fail; an empty object is the honest fallback.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A small HTTP server of its own for processes without the main server (worker 9101, bot 9102).
    /// The returned application is a `Service`: run it in the process's `ServiceGroup`.
    public func makeServer(host: String, port: Int, logger: Logger,
                           onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let router = Router()
        addRoutes(to: router)
        return Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [scrapeHandler()])),
            configuration: .init(address: .hostname(host, port: port), serverName: "gazette"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.info("metrics and health listening", metadata: ["address": "\(host):\(bound)"])
                await onRunning(bound)
            },
            logger: logger
        )
    }
}
