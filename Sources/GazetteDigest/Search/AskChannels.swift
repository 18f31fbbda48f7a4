import Foundation
import GazetteCore
import GazetteText

/// `gazette ask`: a question answered from the reader's channels. The question is searched (all its words first, then
/// each word on its own when that finds too little), the best hits go to the LLM within a bounded context, and the
/// answer comes back with the links of the posts it cites. Without an LLM, or when it fails, the hits are the answer.
public struct AskChannels: Sendable {
    /// Posts given to the LLM at most, and how much of them: a question's context stays a few thousand tokens.
    public static let maxHits = 8
    public static let maxPostCharacters = 1_500
    public static let maxContextCharacters = 12_000

    public struct Answer: Sendable {
        public enum Kind: Sendable, Equatable {
            /// The LLM's answer.
            case answered(String)
            /// No LLM is configured: the hits are the answer.
            case noLLM
            /// The LLM failed (why, safe to show): the hits are the answer.
            case llmFailed(String)
            /// Nothing in the reader's channels matches the question; the LLM was not asked.
            case nothingFound
        }
        public var kind: Kind
        /// The posts found, best first (the LLM's context, numbered from 1).
        public var hits: [PostSearch.Hit]
        /// The numbers of the posts the answer cites (`[n]`), in order; all of them when it cites none.
        public var cited: [Int]
    }

    let search: PostSearch
    let client: LLMClient?

    public init(search: PostSearch, client: LLMClient?) {
        self.search = search
        self.client = client
    }

    public func ask(userID: Int64, question: String, channel: String? = nil, since: Date? = nil) async throws(SearchError) -> Answer {
        let trimmed = question.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidArgument(argument: "question", reason: "the question is empty") }
        guard trimmed.count <= 2_000 else { throw .invalidArgument(argument: "question", reason: "at most 2000 characters") }
        let hits = try await find(trimmed, userID: userID, channel: channel, since: since)
        guard !hits.isEmpty else { return Answer(kind: .nothingFound, hits: [], cited: []) }
        guard let client else { return Answer(kind: .noLLM, hits: hits, cited: Array(1...hits.count)) }
        let (prompt, given) = Self.prompt(question: trimmed, hits: hits)
        do throws(LLMError) {
            let text = try await client.complete(system: Self.system, user: prompt)
            let cited = Self.citations(in: text, count: given)
            return Answer(kind: .answered(text), hits: Array(hits.prefix(given)), cited: cited.isEmpty ? Array(1...given) : cited)
        } catch {
            return Answer(kind: .llmFailed(error.description), hits: hits, cited: Array(1...hits.count))
        }
    }

    /// The question as a query: quotes and stars of a question are not query syntax, so they are read as spaces when
    /// the question does not parse. All words must match first; when that finds fewer than `maxHits`, each word is
    /// searched alone and posts matching more of the words come first.
    func find(_ question: String, userID: Int64, channel: String?, since: Date?) async throws(SearchError) -> [PostSearch.Hit] {
        let query: SearchQuery
        do {
            query = try SearchQueryParser.parse(question)
        } catch {
            let plain = String(question.map { "\"«»“”„*".contains($0) ? " " : $0 })
            do {
                query = try SearchQueryParser.parse(plain)
            } catch {
                throw .invalidArgument(argument: "question", reason: error.reason)
            }
        }
        let request = PostSearch.Request(userID: userID, query: question, channel: channel, since: since, limit: Self.maxHits)
        var hits = try await search.search(query, request).hits
        guard hits.count < Self.maxHits, query.include.count > 1 else { return hits }
        var matched: [String: (hit: PostSearch.Hit, terms: Int)] = [:]
        for term in query.include {
            let one = SearchQuery(text: question, include: [term], exclude: query.exclude)
            for hit in try await search.search(one, request).hits {
                let key = "\(hit.channel.id)/\(hit.post.messageID)"
                let best = matched[key].map { $0.hit.score >= hit.score ? $0.hit : hit } ?? hit
                matched[key] = (best, (matched[key]?.terms ?? 0) + 1)
            }
        }
        let known = Set(hits.map { "\($0.channel.id)/\($0.post.messageID)" })
        let more = matched.filter { !known.contains($0.key) }.values
            .sorted { ($0.terms, $0.hit.score, $0.hit.post.date) > ($1.terms, $1.hit.score, $1.hit.post.date) }
        hits += more.prefix(Self.maxHits - hits.count).map {
            // The snippet marks every word of the question the post has.
            var hit = $0.hit
            hit.snippet = SearchSnippet.make(text: hit.post.text, query: query)
            return hit
        }
        return hits
    }

    static let system = """
        You answer questions from posts of Telegram channels and feeds that the user follows. Use only the numbered posts \
        you are given. Cite the posts you use as [n] after the sentence they support. If the posts do not answer the \
        question, say so. Answer briefly, in the language of the question.
        """

    /// The question and the numbered posts, each cut to `maxPostCharacters`, all within `maxContextCharacters` (the
    /// first post always); returns the text and how many posts it holds.
    static func prompt(question: String, hits: [PostSearch.Hit]) -> (text: String, posts: Int) {
        var text = "Question: \(question)\n\nPosts:\n"
        var given = 0
        for (i, hit) in hits.enumerated() {
            var body = hit.post.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if body.count > maxPostCharacters { body = String(body.prefix(maxPostCharacters)) + "…" }
            let entry = "\n[\(i + 1)] \(hit.channel.displayName), \(hit.post.date.formatted(.iso8601))\n\(body)\n"
            guard i == 0 || text.count + entry.count <= maxContextCharacters else { break }
            text += entry
            given += 1
        }
        return (text, given)
    }

    /// The post numbers `[n]` an answer cites, first citation first, each once.
    static func citations(in answer: String, count: Int) -> [Int] {
        var out: [Int] = []
        var rest = answer[...]
        while let open = rest.firstIndex(of: "[") {
            rest = rest[rest.index(after: open)...]
            guard let close = rest.firstIndex(of: "]") else { break }
            for part in rest[..<close].split(separator: ",") {
                if let n = Int(part.trimmingCharacters(in: .whitespaces)), (1...count).contains(n), !out.contains(n) { out.append(n) }
            }
        }
        return out
    }
}
