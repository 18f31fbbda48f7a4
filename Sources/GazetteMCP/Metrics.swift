import Foundation
import Prometheus
import Synchronization

/// Buckets of `http_request_duration_seconds` and `mcp_tool_call_duration_seconds` (docs/METRICS.md).
let requestDurationBuckets: [Double] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

private func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
    MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
}

/// `http_requests_total{route,method,status}` and `http_request_duration_seconds{route,method}`.
///
/// `route` is the matched route pattern (or `unmatched`), `method` one of the standard methods (else `other`),
/// so label values stay bounded whatever clients send.
public final class HTTPMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let counters = Mutex<[String: Counter]>([:])
    private let histograms = Mutex<[String: ValueHistogram]>([:])

    static let knownMethods: Set<String> = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        // Touch the two families so they appear (as help/type lines) before the first request.
        _ = histogram(route: "/call", method: "POST")
        _ = counter(route: "/call", method: "POST", status: 200)
    }

    public func record(route: String, method: String, status: Int, seconds: Double) {
        let method = Self.knownMethods.contains(method) ? method : "other"
        counter(route: route, method: method, status: status).increment()
        histogram(route: route, method: method).record(seconds)
    }

    private func counter(route: String, method: String, status: Int) -> Counter {
        let key = "\(route) \(method) \(status)"
        return counters.withLock { cache in
            if let c = cache[key] { return c }
            let c = registry.makeCounter(
                descriptor: descriptor("http_requests_total", "HTTP requests by route pattern, method and status."),
                labels: [("route", route), ("method", method), ("status", String(status))])
            cache[key] = c
            return c
        }
    }

    private func histogram(route: String, method: String) -> ValueHistogram {
        let key = "\(route) \(method)"
        return histograms.withLock { cache in
            if let h = cache[key] { return h }
            let h = registry.makeValueHistogram(
                descriptor: descriptor("http_request_duration_seconds", "HTTP request duration by route pattern and method."),
                labels: [("route", route), ("method", method)], buckets: requestDurationBuckets)
            cache[key] = h
            return h
        }
    }
}

/// `mcp_tool_calls_total{tool,outcome}` and `mcp_tool_call_duration_seconds{tool}`, for the registry's tools only
/// (an unknown tool name is never a label value). The counters are created up front so every tool shows 0 before
/// its first call (alerts and `rate()` need the series); a tool's histogram appears with its first call, as client
/// libraries do: fifteen idle 14-bucket histograms were half of every scrape's 36 KB.
public final class MCPMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let calls: [String: Counter]
    private let durations = Mutex<[String: ValueHistogram]>([:])

    public init(registry: PrometheusCollectorRegistry, toolNames: [String]) {
        self.registry = registry
        var calls: [String: Counter] = [:]
        for tool in toolNames {
            for outcome in ToolOutcome.allCases {
                calls["\(tool) \(outcome.rawValue)"] = registry.makeCounter(
                    descriptor: descriptor("mcp_tool_calls_total", "MCP/REST tool calls by tool and outcome."),
                    labels: [("tool", tool), ("outcome", outcome.rawValue)])
            }
        }
        self.calls = calls
    }

    public func record(tool: String, outcome: ToolOutcome, seconds: Double) {
        guard let counter = calls["\(tool) \(outcome.rawValue)"] else { return }
        counter.increment()
        let histogram = durations.withLock { cache in
            if let h = cache[tool] { return h }
            let h = registry.makeValueHistogram(
                descriptor: descriptor("mcp_tool_call_duration_seconds", "Tool call duration by tool."),
                labels: [("tool", tool)], buckets: requestDurationBuckets)
            cache[tool] = h
            return h
        }
        histogram.record(seconds)
    }
}
