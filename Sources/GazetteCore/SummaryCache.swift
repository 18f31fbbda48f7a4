import Foundation

/// One summary kept for reuse (issue 28): a story's or a channel section's summary under a key made of everything it
/// depends on (the ids and edit times of its posts, the summarizer and its model, the language, the prompt version).
/// The store keeps the summary as opaque text (the digest's JSON); it never reads it.
public struct CachedSummary: Sendable, Hashable {
    /// At most `maxKeyLength` bytes; the digest uses a SHA-256 in hex with a short prefix.
    public var key: String
    /// Which summarizer made it (`extractive`, `llm`): the metrics' label.
    public var summarizer: String
    /// The summary, encoded by the digest.
    public var summary: String
    /// LLM requests it took to make (what each hit saves).
    public var llmCalls: Int
    /// Consecutive failures of the LLM for this key. Zero: `summary` is the summarizer's own. More: `summary` is the
    /// extractive fallback, to be shown until `retryAt`, when the LLM is asked again.
    public var failures: Int
    public var retryAt: Date?
    public var createdAt: Date
    /// When the first of its posts expires: after that no digest can ask for this key again.
    public var expiresAt: Date

    public static let maxKeyLength = 128

    public init(key: String, summarizer: String, summary: String, llmCalls: Int = 0, failures: Int = 0, retryAt: Date? = nil,
                createdAt: Date, expiresAt: Date) {
        self.key = key
        self.summarizer = summarizer
        self.summary = summary
        self.llmCalls = llmCalls
        self.failures = failures
        self.retryAt = retryAt
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// A failure entry: the summary shown is not the summarizer's own.
    public var isFailure: Bool { failures > 0 }
}
