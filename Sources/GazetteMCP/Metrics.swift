import Foundation
import GazetteMetrics

/// Buckets of `http_request_duration_seconds` and `mcp_tool_call_duration_seconds` (docs/METRICS.md).
let requestDurationBuckets: [Double] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

/// `http_requests_total{route,method,status}` and `http_request_duration_seconds{route,method}`.
///
/// `route` is the matched route pattern (or `unmatched`), `method` one of the standard methods (else `other`),
/// so label values stay bounded whatever clients send.
public final class HTTPMetrics: Sendable {
    private let registry: MetricRegistry

    static let knownMethods: Set<String> = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]

    public init(registry: MetricRegistry) {
        self.registry = registry
        // Touch the two families so they appear (as help/type lines) before the first request.
        _ = series(route: "/call", method: "POST", status: 200)
    }

    public func record(route: String, method: String, status: Int, seconds: Double) {
        let (counter, histogram) = series(route: route, method: method, status: status)
        counter.increment()
        histogram.record(seconds)
    }

    /// Records requests of one route, method and status, with the series looked up once (the scrape fast path).
    public func recorder(route: String, method: String, status: Int) -> @Sendable (Double) -> Void {
        let (counter, histogram) = series(route: route, method: method, status: status)
        return { seconds in
            counter.increment()
            histogram.record(seconds)
        }
    }

    private func series(route: String, method: String, status: Int) -> (Counter, Histogram) {
        let method = Self.knownMethods.contains(method) ? method : "other"
        let counter = registry.makeCounter(name: "http_requests_total",
                                           labels: [("route", route), ("method", method), ("status", String(status))],
                                           help: "HTTP requests by route pattern, method and status.")
        let histogram = registry.makeHistogram(name: "http_request_duration_seconds",
                                               labels: [("route", route), ("method", method)], buckets: requestDurationBuckets,
                                               help: "HTTP request duration by route pattern and method.")
        return (counter, histogram)
    }
}

/// `mcp_tool_calls_total{tool,outcome}` and `mcp_tool_call_duration_seconds{tool}`, for the registry's tools only
/// (an unknown tool name is never a label value). The counters are created up front so every tool shows 0 before
/// its first call (alerts and `rate()` need the series); a tool's histogram appears with its first call, as client
/// libraries do: fifteen idle 14-bucket histograms were half of every scrape's 36 KB.
public final class MCPMetrics: Sendable {
    private let registry: MetricRegistry
    private let calls: [String: Counter]

    public init(registry: MetricRegistry, toolNames: [String]) {
        self.registry = registry
        var calls: [String: Counter] = [:]
        for tool in toolNames {
            for outcome in ToolOutcome.allCases {
                calls["\(tool) \(outcome.rawValue)"] = registry.makeCounter(
                    name: "mcp_tool_calls_total", labels: [("tool", tool), ("outcome", outcome.rawValue)],
                    help: "MCP/REST tool calls by tool and outcome.")
            }
        }
        self.calls = calls
    }

    public func record(tool: String, outcome: ToolOutcome, seconds: Double) {
        guard let counter = calls["\(tool) \(outcome.rawValue)"] else { return }
        counter.increment()
        registry.makeHistogram(name: "mcp_tool_call_duration_seconds", labels: [("tool", tool)],
                               buckets: requestDurationBuckets, help: "Tool call duration by tool.")
            .record(seconds)
    }
}
