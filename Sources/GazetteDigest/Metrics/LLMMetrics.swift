import Foundation
import GazetteMetrics

/// How an LLM request ended (`llm_requests_total{outcome}`); every outcome but `ok` is also a fallback reason.
public enum LLMOutcome: String, Sendable, CaseIterable {
    case ok
    case httpError = "http_error"
    case timeout
    case network
    case invalidResponse = "invalid_response"
}

/// `llm_requests_total{outcome}` and `llm_fallbacks_total{reason}`.
public struct LLMMetrics: Sendable {
    private let requests: [LLMOutcome: Counter]
    private let fallbacks: [LLMOutcome: Counter]

    public init(registry: MetricRegistry) {
        var requests: [LLMOutcome: Counter] = [:]
        var fallbacks: [LLMOutcome: Counter] = [:]
        for outcome in LLMOutcome.allCases {
            requests[outcome] = registry.makeCounter(name: "llm_requests_total", labels: [("outcome", outcome.rawValue)],
                                                     help: "LLM chat completion requests, by outcome")
            if outcome != .ok {
                fallbacks[outcome] = registry.makeCounter(name: "llm_fallbacks_total", labels: [("reason", outcome.rawValue)],
                                                          help: "Summaries that fell back to the extractive summarizer, by reason")
            }
        }
        self.requests = requests
        self.fallbacks = fallbacks
    }

    func request(_ outcome: LLMOutcome) { requests[outcome]?.increment() }
    func fallback(_ reason: LLMOutcome) { fallbacks[reason]?.increment() }
}
