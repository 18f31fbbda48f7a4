import GazetteMetrics

/// Metrics of the sources module: `source_requests_total{source,status}` (docs/METRICS.md).
public struct SourceMetrics: Sendable {
    public enum Source: String, Sendable, CaseIterable {
        case telegramPreview = "telegram_preview"
        case feed
        /// Pictures fetched for digests (issue 16): counted by `image_*` metrics instead, never here.
        case image
    }

    /// Status classes used as label values: `2xx`, `3xx`, `4xx`, `5xx`, `429` and `error` (no response).
    public static let statusClasses = ["2xx", "3xx", "4xx", "5xx", "429", "error"]

    private let registry: MetricRegistry
    private static let help = "HTTP requests made by sources, by source kind and response status class."

    public init(registry: MetricRegistry) {
        self.registry = registry
        // Every series exists from the start, so rate() and alerts see zeros rather than gaps.
        for source in Source.allCases where source != .image {
            for status in Self.statusClasses {
                _ = registry.makeCounter(name: "source_requests_total", labels: [("source", source.rawValue), ("status", status)],
                                         help: Self.help)
            }
        }
    }

    func record(source: Source, status: Int?) {
        let label: String
        switch status {
        case .none: label = "error"
        case .some(429): label = "429"
        case .some(let s) where (200..<300).contains(s): label = "2xx"
        case .some(let s) where (300..<400).contains(s): label = "3xx"
        case .some(let s) where (400..<500).contains(s): label = "4xx"
        case .some(let s) where (500..<600).contains(s): label = "5xx"
        default: label = "error"
        }
        registry.makeCounter(name: "source_requests_total", labels: [("source", source.rawValue), ("status", label)], help: Self.help)
            .increment()
    }
}
