import AsyncHTTPClient
import Foundation
import GazetteCore
import Logging

extension Config {
    /// The summarizer the configuration asks for: extractive, or the LLM one (which falls back to extractive).
    public func makeSummarizer(metrics: LLMMetrics?, httpClient: HTTPClient = .shared,
                               logger: Logger = Logger(label: "gazette.digest.llm")) -> any Summarizer {
        guard summarizer == .llm, let client = makeLLMClient(metrics: metrics, httpClient: httpClient) else { return ExtractiveSummarizer() }
        return LLMSummarizer(client: client, metrics: metrics, logger: logger)
    }

    /// The OpenAI-compatible LLM of `--llm-url`, `--llm-model` and `--llm-api-key`, whichever summarizer is chosen (`gazette
    /// ask` uses it too); nil without a URL.
    public func makeLLMClient(metrics: LLMMetrics?, httpClient: HTTPClient = .shared) -> LLMClient? {
        llmURL.map { LLMClient(url: $0, model: llmModel, apiKey: llmAPIKey, httpClient: httpClient, metrics: metrics) }
    }
}
