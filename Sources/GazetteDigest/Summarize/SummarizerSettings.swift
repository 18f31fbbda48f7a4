import AsyncHTTPClient
import Foundation
import GazetteCore
import Logging

/// Which summarizer a process uses: `--summarizer`, `--llm-url`, `--llm-model`, `--llm-api-key`.
public struct SummarizerSettings: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case extractive, llm }

    /// Nil until the configuration is loaded, which picks `llm` when an LLM URL is set, else `extractive`.
    public var kind: Kind?
    /// Base URL of an OpenAI-compatible API.
    public var llmURL: URL?
    public var llmModel = "gpt-4o-mini"
    public var llmAPIKey: Secret?

    public init() {}

    /// The summarizer asked for: extractive, or the LLM one (which falls back to extractive).
    public func makeSummarizer(metrics: LLMMetrics?, httpClient: HTTPClient = .shared,
                               logger: Logger = Logger(label: "gazette.digest.llm")) -> any Summarizer {
        guard kind == .llm, let client = makeLLMClient(metrics: metrics, httpClient: httpClient) else { return ExtractiveSummarizer() }
        return LLMSummarizer(client: client, metrics: metrics, logger: logger)
    }

    /// The OpenAI-compatible LLM of `--llm-url`, `--llm-model` and `--llm-api-key`, whichever summarizer is chosen
    /// (`gazette ask` uses it too); nil without a URL.
    public func makeLLMClient(metrics: LLMMetrics?, httpClient: HTTPClient = .shared) -> LLMClient? {
        llmURL.map { LLMClient(url: $0, model: llmModel, apiKey: llmAPIKey, httpClient: httpClient, metrics: metrics) }
    }
}
