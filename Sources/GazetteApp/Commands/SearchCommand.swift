import Foundation
import GazetteCore
import GazetteDigest
import GazetteMetrics
import GazetteText
import Logging

extension GazetteCommands {
    /// How `gazette search` prints: text for people, JSON for scripts (the fields of MCP `search_posts`, and `more`).
    public enum SearchOutput: String, Sendable, CaseIterable {
        case text, json
    }

    /// `gazette search --user ID "query"`: one page of hits, as the command prints it. A refused query, channel or range
    /// is a `SearchError` naming it.
    public static func search(_ config: Configuration, request: PostSearch.Request, output: SearchOutput, migrate: Bool,
                              logger: Logger) async throws -> String {
        let page = try await withStore(config, migrate: migrate, logger: logger) { store in
            try await PostSearch(store: store).search(request)
        }
        switch output {
        case .json:
            return SearchText.json([
                "user_id": request.userID, "query": page.query.text, "count": page.hits.count,
                "more": page.nextOffset != nil, "results": page.hits.map(SearchText.hitObject),
            ])
        case .text:
            guard !page.hits.isEmpty else { return "no posts match «\(page.query.text)»" }
            var out = SearchText.hitList(page.hits, numbers: Array(1...page.hits.count))
            if page.nextOffset != nil {
                out += "\nmore posts match: raise --limit (at most \(PostSearch.maxLimit)) or narrow the query"
            }
            return out
        }
    }

    /// `gazette ask --user ID "question"`: the answer of the LLM of the summarizer settings with the links it cites, or
    /// the best hits when there is no LLM or it failed (saying which).
    public static func ask(_ config: Configuration, userID: Int64, question: String, channel: String?, since: Date?, migrate: Bool,
                           logger: Logger) async throws -> String {
        let client = config.summarizer.makeLLMClient(metrics: LLMMetrics(registry: MetricRegistry()))
        let answer = try await withStore(config, migrate: migrate, logger: logger) { store in
            try await AskChannels(search: PostSearch(store: store), client: client)
                .ask(userID: userID, question: question, channel: channel, since: since)
        }
        let cited = answer.cited.map { ($0, answer.hits[$0 - 1]) }
        switch answer.kind {
        case .answered(let text):
            return text + "\n\nSources:\n" + cited.map { "[\($0.0)] \(SearchText.heading($0.1)) · \(SearchText.link($0.1))" }
                .joined(separator: "\n")
        case .nothingFound:
            return "Nothing in your channels matches «\(question.trimmingCharacters(in: .whitespacesAndNewlines))»."
        case .noLLM:
            return "No LLM is configured (--llm-url, GAZETTE_LLM_URL), so here are the posts that match best:\n\n"
                + SearchText.hitList(answer.hits, numbers: answer.cited)
        case .llmFailed(let reason):
            return "The LLM did not answer (\(reason)), so here are the posts that match best:\n\n"
                + SearchText.hitList(answer.hits, numbers: answer.cited)
        }
    }
}

/// Hits as the command line shows them.
enum SearchText {
    /// `1. Title (@key) · 2026-03-01 12:30:00 UTC`, the snippet with `**marks**`, the link.
    static func hitList(_ hits: [PostSearch.Hit], numbers: [Int]) -> String {
        zip(numbers, hits).map { n, hit in
            "\(n). \(heading(hit))\n   \(hit.snippet.markdownBold)\n   \(link(hit))"
        }.joined(separator: "\n\n")
    }

    static func heading(_ hit: PostSearch.Hit) -> String {
        let name = hit.channel.kind == .telegram ? "@\(hit.channel.key)" : hit.channel.key
        let title = hit.channel.metadata.title.map { "\($0) (\(name))" } ?? name
        let date = hit.post.date.formatted(Date.ISO8601FormatStyle(dateTimeSeparator: .space, timeZone: .gmt).year().month().day()
            .time(includingFractionalSeconds: false))
        return "\(title) · \(date) UTC"
    }

    static func link(_ hit: PostSearch.Hit) -> String { hit.post.url ?? "(no link)" }

    static func hitObject(_ hit: PostSearch.Hit) -> [String: Any] {
        [
            "channel": hit.channel.key, "channel_title": hit.channel.metadata.title ?? NSNull(),
            "message_id": hit.post.messageID, "date": hit.post.date.formatted(.iso8601), "url": hit.post.url ?? NSNull(),
            "snippet": hit.snippet.markdownBold, "text": hit.post.text, "score": hit.score,
        ]
    }

    static func json(_ object: [String: Any]) -> String {
        do {
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self)
        } catch {
            return #"{"error": "the results could not be written as JSON"}"#  // only non-JSON values fail, and there are none
        }
    }
}
