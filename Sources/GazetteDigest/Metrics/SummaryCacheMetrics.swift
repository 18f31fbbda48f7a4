import Foundation
import GazetteMetrics

/// `summary_cache_hits_total{summarizer}`, `summary_cache_misses_total{summarizer}`, `summary_cache_llm_calls_saved_total`,
/// `summary_cache_bytes` and `summary_cache_entries` (issue 28), on the registry of the process that makes digests.
public struct SummaryCacheMetrics: Sendable {
    private let hits: [SummaryMethod: Counter]
    private let misses: [SummaryMethod: Counter]
    let llmCallsSaved: Counter
    let bytes: Gauge
    let entries: Gauge

    public init(registry: MetricRegistry) {
        var hits: [SummaryMethod: Counter] = [:]
        var misses: [SummaryMethod: Counter] = [:]
        for method in [SummaryMethod.extractive, .llm] {
            hits[method] = registry.makeCounter(name: "summary_cache_hits_total", labels: [("summarizer", method.rawValue)],
                                                help: "Summaries taken from the summary cache instead of being made, by summarizer")
            misses[method] = registry.makeCounter(name: "summary_cache_misses_total", labels: [("summarizer", method.rawValue)],
                                                  help: "Summaries the cache did not have (or whose LLM retry was due), by summarizer")
        }
        self.hits = hits
        self.misses = misses
        llmCallsSaved = registry.makeCounter(name: "summary_cache_llm_calls_saved_total",
                                             help: "LLM requests not sent because the summary came from the cache")
        bytes = registry.makeGauge(name: "summary_cache_bytes", help: "Bytes of summaries in the summary cache")
        entries = registry.makeGauge(name: "summary_cache_entries", help: "Entries in the summary cache, LLM failures included")
    }

    func hit(_ method: SummaryMethod, savedCalls: Int) {
        hits[method]?.increment()
        saved(savedCalls)
    }

    /// LLM requests answered from the cache: a whole summary's, or one chunk's in a summary made again.
    func saved(_ calls: Int) {
        if calls > 0 { llmCallsSaved.increment(by: Int64(calls)) }
    }

    func miss(_ method: SummaryMethod) { misses[method]?.increment() }
}
