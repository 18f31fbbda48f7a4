import GazetteMetrics

/// The seven `post_fetcher_*` metrics of SPEC §9, registered on the process's registry (names, types and labels
/// are part of the alerting contract: docs/METRICS.md).
public struct FetcherMetrics: Sendable {
    /// One pass; 30 s and 120 s are alert thresholds and must be bucket bounds.
    public static let durationBuckets: [Double] = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600]

    private let registry: MetricRegistry
    let channelsProcessed: Counter
    let duration: Histogram
    let running: Gauge
    let lastRun: Gauge

    private enum Help {
        static let saved = "Posts saved, per subscribed channel."
        static let skipped = "Posts skipped as already stored or duplicate text, per subscribed channel."
        static let errors = "Fetch errors by type."
        static let unparsedDates = "Feed items whose date could not be read (dated from the feed or the entry before them), per fetch."
    }

    public init(registry: MetricRegistry) {
        self.registry = registry
        channelsProcessed = registry.makeCounter(name: "post_fetcher_channels_processed_total",
                                                 help: "Channels fetched (successfully or not).")
        duration = registry.makeHistogram(name: "post_fetcher_duration_seconds", buckets: Self.durationBuckets,
                                          help: "Duration of one fetch pass over all due channels.")
        running = registry.makeGauge(name: "post_fetcher_worker_running", help: "1 while the fetch worker service runs, else 0.")
        lastRun = registry.makeGauge(name: "post_fetcher_last_run_timestamp_seconds",
                                     help: "Unix time at which the last fetch pass finished.")
        // Every error series exists from the start, so increase() sees the first error.
        for type in FetchErrorType.allCases { _ = errorCounter(type) }
    }

    private func errorCounter(_ type: FetchErrorType) -> Counter {
        registry.makeCounter(name: "post_fetcher_errors_total", labels: [("error_type", type.rawValue)], help: Help.errors)
    }

    func error(_ type: FetchErrorType) {
        errorCounter(type).increment()
    }

    /// Creates the channel's series (at 0) so dashboards show it before its first post.
    func touch(channel: String, feed: Bool = false) {
        _ = registry.makeCounter(name: "post_fetcher_posts_saved_total", labels: [("channel", channel)], help: Help.saved)
        _ = registry.makeCounter(name: "post_fetcher_posts_skipped_total", labels: [("channel", channel)], help: Help.skipped)
        if feed {
            _ = registry.makeCounter(name: "feed_unparsed_dates_total", labels: [("channel", channel)], help: Help.unparsedDates)
        }
    }

    /// Also called for posts the user account stores from live updates.
    public func saved(channel: String, _ n: Int) {
        registry.makeCounter(name: "post_fetcher_posts_saved_total", labels: [("channel", channel)], help: Help.saved)
            .increment(by: Int64(n))
    }

    /// `feed_unparsed_dates_total{channel}` (issue 26): not one of the seven seed metrics, but the fetcher's.
    func unparsedDates(channel: String, _ n: Int) {
        registry.makeCounter(name: "feed_unparsed_dates_total", labels: [("channel", channel)], help: Help.unparsedDates)
            .increment(by: Int64(n))
    }

    func skipped(channel: String, _ n: Int) {
        registry.makeCounter(name: "post_fetcher_posts_skipped_total", labels: [("channel", channel)], help: Help.skipped)
            .increment(by: Int64(n))
    }
}
