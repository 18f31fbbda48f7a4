import GazetteCore
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// OpenTelemetry tracing, exported over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` is configured.
///
/// Without an endpoint tracing stays off: spans are no-ops and nothing is exported. With one, spans of
/// fetches, channels, tool calls and renders are batched and sent to `<endpoint>/v1/traces`.
public enum TracingSetup {
    /// Bootstraps the process-wide tracer and returns the exporter service to run in the process's
    /// `ServiceGroup`, or nil when tracing is off. Call at most once per process.
    public static func bootstrap(_ config: Config, serviceName: String, logger: Logger) throws -> (any Service)? {
        guard let endpoint = config.otlpEndpoint else { return nil }
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
        return backend.service
    }
}

extension TracingSetup {
    /// The exporter as a `ServiceGroup` entry (empty when tracing is off), to append to a process's services.
    public static func services(_ config: Config, serviceName: String, logger: Logger) throws
        -> [ServiceGroupConfiguration.ServiceConfiguration] {
        guard let exporter = try bootstrap(config, serviceName: serviceName, logger: logger) else { return [] }
        return [.init(service: exporter, serviceName: "otel-exporter")]
    }
}

private extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}

/// The service group of a long-running Gazette process: its services plus the trace exporter when tracing is on,
/// stopped by SIGTERM or SIGINT, with at most `shutdownLimit` (when given) for the graceful part.
public enum ProcessGroup {
    public static func make(_ services: [ServiceGroupConfiguration.ServiceConfiguration], config: Config,
                            serviceName: String, shutdownLimit: Duration?, logger: Logger) throws -> ServiceGroup {
        var configuration = ServiceGroupConfiguration(
            services: services + (try TracingSetup.services(config, serviceName: serviceName, logger: logger)),
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        if let shutdownLimit { configuration.maximumGracefulShutdownDuration = shutdownLimit }
        return ServiceGroup(configuration: configuration)
    }
}
