import Foundation
import GazetteCore
import GazetteDigest
import GazetteText
import MCP

/// `search_posts`: full-text search over the posts of the user's channels (issue 27).
enum SearchTools {
    static let all = [searchPosts]

    static let hitSchema = Schema.result([
        "channel": Schema.out("string", "Channel key (username, or the feed URL)."),
        "channel_title": Schema.nullable("string", "The channel's title when known."),
        "message_id": Schema.outInt,
        "date": Schema.out("string", "ISO 8601 UTC."),
        "url": Schema.nullable("string", "Link to the post."),
        "snippet": Schema.out("string", "A short part of the post with the matched words in **bold**."),
        "text": Schema.out("string", "The post's whole text."),
        "score": Schema.out("number", "Relevance: higher is better; comparable only within one answer."),
    ])

    static let searchPosts = ToolDefinition(
        name: "search_posts",
        title: "Search the user's channels",
        hints: .readOnly,
        description: "Full-text search over the stored posts of the user's channels (muted ones included; digest filters do not "
            + "apply). Words match in any inflection (Russian and English): «выборы» finds «выборах». Syntax: words (all must "
            + "match), \"a phrase\", -word or -\"a phrase\" to exclude, prefix* (3+ letters). Optional channel and date range. "
            + "Best match first, newer first among equals; each hit has the post's link and a snippet with the matched words "
            + "in **bold**. One page of `limit` hits; `next_cursor` fetches the next.",
        inputSchema: Schema.object([
            "user_id": Schema.userID,
            "query": Schema.string("What to look for, e.g. метро -ремонт \"новые тарифы\" электр*", maxLength: 500),
            "channel": Schema.string("Only this channel of the user's (durov, @durov, a t.me link or a feed URL).", maxLength: 2048),
            "since": Schema.string("Only posts from then on: 24h, 7d, 2w, a day (2026-03-01) or an ISO 8601 time.", maxLength: 64),
            "until": Schema.string("Only posts before then (a day includes that day); same forms as since.", maxLength: 64),
            "limit": Schema.integer("Most hits in this answer (one page).", minimum: 1, maximum: PostSearch.maxLimit, default: 10),
            "cursor": Schema.cursor,
        ], required: ["user_id", "query"]),
        outputSchema: Schema.result([
            "user_id": Schema.outInt,
            "query": Schema.out("string", "The query as read."),
            "results": Schema.list(of: hitSchema),
            "count": Schema.out("integer", "Hits in this answer."),
            "next_cursor": Schema.nextCursor,
        ])
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        let text = try args.string("query", maxLength: 500, allowEmpty: true)
        let limit = try args.int("limit", default: 10, in: 1...PostSearch.maxLimit)
        let offset = try args.pageOffset(tool: "search_posts", userID: userID)
        let channel = try args.optionalString("channel", maxLength: 2048)
        let sinceText = try args.optionalString("since", maxLength: 64), untilText = try args.optionalString("until", maxLength: 64)
        let now = ctx.now()
        let page: PostSearch.Page
        do throws(SearchError) {
            var since: Date?, until: Date?
            if let sinceText { since = try SearchDates.since(sinceText, now: now) }
            if let untilText { until = try SearchDates.until(untilText, now: now) }
            page = try await PostSearch(store: ctx.store).search(PostSearch.Request(
                userID: userID, query: text, channel: channel, since: since, until: until, limit: limit, offset: offset))
        } catch {
            throw ToolError.from(search: error)
        }
        return [
            "user_id": ToolJSON.id(userID), "query": .string(page.query.text),
            "results": .array(page.hits.map(hit)), "count": .int(page.hits.count),
            "next_cursor": page.nextOffset.map { .string(PageCursor.make(tool: "search_posts", userID: userID, offset: $0)) } ?? .null,
        ]
    }

    static func hit(_ hit: PostSearch.Hit) -> Value {
        [
            "channel": .string(hit.channel.key), "channel_title": ToolJSON.string(hit.channel.metadata.title),
            "message_id": ToolJSON.id(hit.post.messageID), "date": ToolJSON.date(hit.post.date), "url": ToolJSON.string(hit.post.url),
            "snippet": .string(hit.snippet.markdownBold), "text": .string(hit.post.text), "score": .double(hit.score),
        ]
    }
}

extension ToolError {
    /// A search's refusal is an invalid argument naming what is wrong; a database failure is a database failure.
    static func from(search error: SearchError) -> ToolError {
        switch error {
        case .invalidArgument(let argument, let reason): .invalidArguments(argument: argument, reason: reason)
        case .database(let message): .failed(kind: .database, message: message)
        }
    }
}
