import GazetteCore
import GazetteMetrics

/// The `image_*` metrics (docs/METRICS.md): cache hits and misses, pictures left out by reason, fetch time, and the
/// cache's size as of the last look.
public struct ImageMetrics: Sendable {
    public static let fetchBuckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    let hits: Counter
    let misses: Counter
    let fetchDuration: Histogram
    let cacheBytes: Gauge
    let cacheEntries: Gauge
    private let skips: [ImageSkipReason: Counter]

    public init(registry: MetricRegistry) {
        hits = registry.makeCounter(name: "image_cache_hits_total", help: "Digest pictures found in the image cache")
        misses = registry.makeCounter(name: "image_cache_misses_total", help: "Digest pictures not in the image cache (fetched)")
        fetchDuration = registry.makeHistogram(name: "image_fetch_duration_seconds", buckets: Self.fetchBuckets,
                                               help: "Time to fetch one picture, failed or not")
        cacheBytes = registry.makeGauge(name: "image_cache_bytes", help: "Bytes of pictures in the image cache")
        cacheEntries = registry.makeGauge(name: "image_cache_entries", help: "Entries in the image cache, remembered failures included")
        var skips: [ImageSkipReason: Counter] = [:]
        for reason in ImageSkipReason.allCases {
            skips[reason] = registry.makeCounter(name: "image_skips_total", labels: [("reason", reason.rawValue)],
                                                 help: "Pictures a digest showed as alt text instead, by reason")
        }
        self.skips = skips
    }

    public func recordSkip(_ reason: ImageSkipReason) { skips[reason]?.increment() }
}
