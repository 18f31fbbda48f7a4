import Foundation
import GazetteCore
import GazetteMetrics
import Logging
import Metrics
import OTel
import ServiceLifecycle
import Synchronization
import Tracing

/// The process-wide instrumentation: the tracer (OpenTelemetry, exported over OTLP/HTTP when
/// `OTEL_EXPORTER_OTLP_ENDPOINT` is configured) and swift-metrics (backed by the process's registry).
///
/// Call `bootstrap` first thing, before any HTTP client exists: AsyncHTTPClient reads the tracer when a client is
/// created, so a client made before the bootstrap never traces. Without an endpoint tracing stays off: spans are
/// no-ops and nothing is exported. With one, spans of requests, fetches, channels, tool calls and renders are
/// batched and sent to `<endpoint>/v1/traces`.
/// Where traces go: `--otlp-endpoint` (`OTEL_EXPORTER_OTLP_ENDPOINT`); nil turns tracing off.
public struct TracingSettings: Sendable {
    public var otlpEndpoint: URL?

    public init() {}
}

public enum Telemetry {
    private static let bootstrapped = Mutex(false)

    /// Bootstraps the tracer and the swift-metrics factory once per process (later calls do nothing and return no
    /// services) and returns the trace exporter as a service for the process's group (none when tracing is off).
    public static func bootstrap(_ settings: TracingSettings, serviceName: String, registry: MetricRegistry,
                                 logger: Logger) throws -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return [] }
        MetricsSystem.bootstrap(SwiftMetricsBridge(registry: registry))
        guard let endpoint = settings.otlpEndpoint else { return [] }
        var otel = OTel.Configuration.default
        otel.serviceName = serviceName
        otel.resourceAttributes["service.version"] = GazetteVersion.current
        otel.diagnosticLogger = .custom(logger)
        otel.metrics.enabled = false
        otel.logs.enabled = false
        otel.traces.enabled = true
        otel.traces.exporter = .otlp
        otel.traces.otlpExporter.protocol = .httpProtobuf
        otel.traces.otlpExporter.endpoint = endpoint.absoluteString.hasSuffix("/v1/traces")
            ? endpoint.absoluteString
            : endpoint.absoluteString.trimmingSuffix("/") + "/v1/traces"
        otel.traces.batchSpanProcessor.scheduleDelay = .seconds(1)
        let backend = try OTel.makeTracingBackend(configuration: otel)
        InstrumentationSystem.bootstrap(backend.factory)
        logger.info("tracing to \(otel.traces.otlpExporter.endpoint)")
        return [.init(service: backend.service, serviceName: "otel-exporter")]
    }
}

private extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
