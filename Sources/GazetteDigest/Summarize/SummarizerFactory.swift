import AsyncHTTPClient
import Foundation
import GazetteCore
import Logging

extension Config {
    /// The summarizer the configuration asks for: extractive, or the LLM one (which falls back to extractive).
    public func makeSummarizer(metrics: LLMMetrics?, httpClient: HTTPClient = .shared,
                               logger: Logger = Logger(label: "gazette.digest.llm")) -> any Summarizer {
        guard summarizer == .llm, let llmURL else { return ExtractiveSummarizer() }
        let client = LLMClient(url: llmURL, model: llmModel, apiKey: llmAPIKey, httpClient: httpClient, metrics: metrics)
        return LLMSummarizer(client: client, metrics: metrics, logger: logger)
    }
}
