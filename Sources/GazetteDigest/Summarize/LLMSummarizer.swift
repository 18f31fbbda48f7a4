import Foundation
import GazetteCore
import GazetteText
import Logging

/// Summarizes with any OpenAI-compatible chat completion API; any failure falls back to the extractive summarizer
/// and is counted in `llm_fallbacks_total{reason}`.
///
/// Posts are sent as `[message id] text` lines. When they exceed the input budget (tokens estimated as UTF-8
/// bytes / 4) they are split into chunks that fit: each chunk is summarized (map), then the partial summaries
/// are summarized together (reduce, repeated while they still do not fit). The model is asked to answer in the
/// posts' language and to cite post ids, which become links to the posts.
public struct LLMSummarizer: Summarizer {
    public let client: LLMClient
    public let fallback: ExtractiveSummarizer
    /// Input budget per request, in estimated tokens.
    public let tokenBudget: Int
    private let metrics: LLMMetrics?
    private let logger: Logger

    public init(client: LLMClient, tokenBudget: Int = 3000, fallback: ExtractiveSummarizer = ExtractiveSummarizer(),
                metrics: LLMMetrics?, logger: Logger = Logger(label: "gazette.digest.llm")) {
        self.client = client
        self.tokenBudget = max(200, tokenBudget)
        self.fallback = fallback
        self.metrics = metrics
        self.logger = logger
    }

    /// The model and the input budget (which decides how posts are chunked) shape the answer; `Prompt.version` the rest.
    public var identity: SummarizerIdentity {
        SummarizerIdentity(method: .llm, model: "\(client.model)|budget=\(tokenBudget)", version: Prompt.version)
    }

    public func attempt(_ posts: [Post], channel: String, maxSentences: Int, translatingTo: DigestLanguage?,
                        answers: (any LLMAnswerMemo)?) async -> SummaryAttempt {
        let points = max(1, maxSentences)
        let extractive = fallback.summarizeNow(posts, channel: channel, maxSentences: points)
        // Oldest first, so that a new post joins the last chunk and the chunks before it are asked as they were.
        let withText = posts.filter { !$0.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
            .sorted { ($0.date, $0.messageID) < ($1.date, $1.messageID) }
        guard !withText.isEmpty else { return SummaryAttempt(summary: extractive) }
        var exchange = Exchange(client: client, memo: answers)
        do throws(LLMError) {
            // With `--llm-translate` the digest asks for its own language; otherwise summaries keep the posts' language.
            let language = translatingTo ?? extractive.language
            let prompt = Prompt(language: language, translated: translatingTo != nil, channel: channel, points: points)
            let answer = try await mapReduce(withText, prompt: prompt, exchange: &exchange)
            let parsed = Self.points(answer, posts: withText, limit: points)
            if parsed.isEmpty {
                throw LLMError(outcome: .invalidResponse, detail: "the answer has no usable points")
            }
            var summary = extractive
            summary.language = language
            summary.points = parsed
            summary.summary = SummaryPoint.markdown(parsed)
            summary.method = .llm
            return SummaryAttempt(summary: summary, llmCalls: exchange.calls, answers: exchange.made)
        } catch {
            metrics?.fallback(error.outcome)
            logger.warning("LLM summary failed, using the extractive summary",
                           metadata: ["channel": "\(channel)", "reason": "\(error.outcome.rawValue)", "error": "\(error.detail)"])
            return SummaryAttempt(summary: extractive, llmCalls: exchange.calls, fellBack: true, answers: exchange.made)
        }
    }

    static func estimatedTokens(_ text: String) -> Int { text.utf8.count / 4 + 1 }

    /// The requests of one summary: each answered from the memo when it was asked before, else by the model.
    struct Exchange {
        let client: LLMClient
        let memo: (any LLMAnswerMemo)?
        /// Requests sent to the model (each `complete`, its own retries aside).
        var calls = 0
        /// The model's answers to them.
        var made: [LLMAnswer] = []

        mutating func ask(system: String, user: String) async throws(LLMError) -> String {
            let key = Self.key(model: client.model, system: system, user: user)
            if let known = await memo?.answer(key) { return known }
            calls += 1
            let text = try await client.complete(system: system, user: user)
            made.append(LLMAnswer(key: key, text: text))
            return text
        }

        /// Everything the answer depends on: the model, the prompt's version and the request's whole text.
        static func key(model: String, system: String, user: String) -> String {
            let text = "answer/1\nmodel=\(model)\nversion=\(Prompt.version)\nsystem=\(system)\nuser=\(user)"
            return "a1:" + StableHash.sha256(text)
        }
    }

    private func mapReduce(_ posts: [Post], prompt: Prompt, exchange: inout Exchange) async throws(LLMError) -> String {
        let budget = tokenBudget - Self.estimatedTokens(prompt.system) - 50
        var chunks = Self.chunks(posts.map(Self.line), budget: budget)
        var level = 0
        while true {
            if chunks.count == 1 {
                return try await exchange.ask(system: prompt.system, user: prompt.user(chunks[0], partial: level > 0))
            }
            var partials: [String] = []
            for chunk in chunks {
                partials.append(try await exchange.ask(system: prompt.system, user: prompt.user(chunk, partial: level > 0)))
            }
            level += 1
            let next = Self.chunks(partials, budget: budget)
            // Reducing must shrink the input; a model that answers at length would otherwise loop forever.
            guard next.count < chunks.count || level < 3 else {
                throw LLMError(outcome: .invalidResponse, detail: "partial summaries do not get shorter")
            }
            chunks = next
        }
    }

    static func line(_ post: Post) -> String {
        let text = post.text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return "[\(post.messageID)] \(text)"
    }

    /// Packs lines into chunks within the budget; a single line over the budget is cut to fit.
    ///
    /// A chunk ends where the next line would not fit or, once it is three quarters full, after a line whose hash is a
    /// multiple of 4: a boundary set by the lines themselves, not by everything before them. So a post that joins, leaves
    /// or changes a chunk changes that chunk's request (and the merge), and the requests of the other chunks are asked
    /// as before and answered from the summary cache (issue 28); with boundaries set by size alone every chunk after the
    /// change would move. Chunks are about 85 % full instead of 95 %.
    static func chunks(_ lines: [String], budget: Int) -> [String] {
        let maxBytes = max(100, budget * 4)
        var chunks: [String] = []
        var current = ""
        for var line in lines {
            if line.utf8.count > maxBytes {
                line = String(decoding: line.utf8.prefix(maxBytes - 3), as: UTF8.self) + "…"
            }
            if !current.isEmpty, current.utf8.count + line.utf8.count + 1 > maxBytes {
                chunks.append(current)
                current = ""
            }
            current += current.isEmpty ? line : "\n" + line
            if current.utf8.count * 4 >= maxBytes * 3, FNV1a.hash(line.utf8) % 4 == 0 {
                chunks.append(current)
                current = ""
            }
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }

    /// Turns the model's answer into summary points: list markers dropped, post ids replaced by the posts'
    /// links, at most `limit` points.
    static func points(_ answer: String, posts: [Post], limit: Int) -> [SummaryPoint] {
        let links = Dictionary(posts.map { ($0.messageID, $0.link) }, uniquingKeysWith: { first, _ in first })
        var points: [SummaryPoint] = []
        for raw in answer.split(whereSeparator: \.isNewline) where points.count < limit {
            var text = raw.trimmingCharacters(in: .whitespaces)
            while let first = text.first, "-*•#>".contains(first) { text.removeFirst() }
            if let marker = text.range(of: #"^\s*[0-9]{1,2}[.)]\s"#, options: .regularExpression) { text.removeSubrange(marker) }
            var cited: [Int64] = []
            text = citations(in: text.trimmingCharacters(in: .whitespaces), collect: &cited)
            text = text.replacingOccurrences(of: "**", with: "")
            guard text.contains(where: \.isLetter) else { continue }
            var seen = Set<String>()
            let postLinks = cited.compactMap { links[$0] ?? nil }.filter { seen.insert($0).inserted }
            points.append(SummaryPoint(text: ExtractiveSummarizer.shorten(text, to: ExtractiveSummarizer.maxSentenceLength),
                                       links: Array(postLinks.prefix(3))))
        }
        return points
    }

    /// Removes `[123]` / `[123, 456]` citations from the text and returns the ids.
    static func citations(in text: String, collect ids: inout [Int64]) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "[") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "]") else {
                rest = rest[open...]
                break
            }
            let inner = rest[rest.index(after: open)..<close]
            let numbers = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let parsed = numbers.compactMap { Int64($0) }
            if !numbers.isEmpty, parsed.count == numbers.count {
                ids += parsed
            } else {
                out += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out.replacingOccurrences(of: "  ", with: " ").trimmingCharacters(in: .whitespaces)
    }
}

/// The instructions sent with every request.
struct Prompt {
    /// Raise whenever the instructions change (the summary cache keys on it).
    static let version = 1
    var language: DigestLanguage
    /// The posts are in another language (`--llm-translate`).
    var translated: Bool
    var channel: String
    var points: Int

    var system: String {
        let lang = language == .russian ? "Russian" : "English"
        return """
        You summarize posts of the Telegram channel "\(channel)" for a daily digest. \
        Answer in \(lang)\(translated ? ", translating the posts" : ", the language of the posts"). \
        Write at most \(points) short bullet points, one per line, each starting with "- ", most important first. \
        After each point cite the ids of the posts it comes from in square brackets, e.g. [42]. \
        No introduction, no conclusion, no headings.
        """
    }

    func user(_ chunk: String, partial: Bool) -> String {
        partial
            ? "Merge these partial summaries of the same channel into one list, keeping the citations:\n\n" + chunk
            : "Posts, one per line as [id] text:\n\n" + chunk
    }
}
