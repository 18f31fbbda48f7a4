import CoreMetrics
import Foundation
import GazetteMetrics
@testable import GazetteObservability
import Testing

/// Metrics emitted through swift-metrics (by dependencies, or code using the standard API) land in the process's own
/// registry and its `/metrics` exposition. Each test passes the factory explicitly: the process-wide bootstrap
/// happens once per process (`Telemetry.bootstrap`).
@Suite("swift-metrics → Gazette's registry")
struct SwiftMetricsBridgeTests {
    @Test func everyKindAppearsInTheExpositionWithItsType() throws {
        let registry = MetricRegistry()
        let factory = SwiftMetricsBridge(registry: registry)
        CoreMetrics.Counter(label: "lib_requests_total", dimensions: [("method", "GET")], factory: factory).increment(by: 3)
        FloatingPointCounter(label: "lib_cpu_seconds_total", factory: factory).increment(by: 0.25)
        Meter(label: "lib_connections", factory: factory).set(7)
        Recorder(label: "lib_queue_depth", aggregate: false, factory: factory).record(4)
        Recorder(label: "lib_payload_bytes", factory: factory).record(120)
        CoreMetrics.Timer(label: "lib_request_duration", factory: factory).recordMilliseconds(30)

        let text = registry.text()
        #expect(text.contains("# TYPE lib_requests_total counter"))
        #expect(text.contains(#"lib_requests_total{method="GET"} 3"#))
        #expect(text.contains("lib_cpu_seconds_total 0.25"))
        #expect(text.contains("# TYPE lib_connections gauge"))
        #expect(text.contains("lib_connections 7"))
        #expect(text.contains("lib_queue_depth 4"))
        #expect(text.contains("# TYPE lib_payload_bytes histogram"))
        #expect(text.contains(#"lib_payload_bytes_bucket{le="500.0"} 1"#) || text.contains(#"lib_payload_bytes_bucket{le="500"} 1"#))
        #expect(text.contains("# TYPE lib_request_duration_seconds histogram"))
        #expect(text.contains("lib_request_duration_seconds_sum 0.03"))
        #expect(text.contains("lib_request_duration_seconds_count 1"))
    }

    @Test func theSameLabelsReachTheSameSeries() {
        let registry = MetricRegistry()
        let factory = SwiftMetricsBridge(registry: registry)
        CoreMetrics.Counter(label: "lib_events_total", dimensions: [("kind", "a")], factory: factory).increment()
        CoreMetrics.Counter(label: "lib_events_total", dimensions: [("kind", "a")], factory: factory).increment()
        CoreMetrics.Counter(label: "lib_events_total", dimensions: [("kind", "b")], factory: factory).increment()
        let text = registry.text()
        #expect(text.contains(#"lib_events_total{kind="a"} 2"#))
        #expect(text.contains(#"lib_events_total{kind="b"} 1"#))
    }

    /// Names from libraries are not Prometheus names, and a name may already be taken by another type: neither
    /// traps the process.
    @Test func foreignNamesAreMadeValid() {
        let registry = MetricRegistry()
        _ = registry.makeGauge(name: "shared_name", help: "Ours.")
        let factory = SwiftMetricsBridge(registry: registry)
        CoreMetrics.Counter(label: "http.server.requests", dimensions: [("http.method", "GET"), ("le", "x"), ("__x", "y")],
                            factory: factory).increment()
        CoreMetrics.Counter(label: "shared_name", factory: factory).increment()
        CoreMetrics.Counter(label: "9lives", factory: factory).increment()
        let text = registry.text()
        #expect(text.contains(#"http_server_requests{http_method="GET",le_="x",x__x="y"} 1"#))
        #expect(text.contains("shared_name_counter 1"))
        #expect(text.contains("_9lives 1"))
    }

    @Test func resetSetsACounterBackToZero() {
        let registry = MetricRegistry()
        let counter = CoreMetrics.Counter(label: "lib_resets_total", factory: SwiftMetricsBridge(registry: registry))
        counter.increment(by: 5)
        counter.reset()
        counter.increment()
        #expect(registry.text().contains("lib_resets_total 1"))
    }
}
