import Foundation
import GazetteCore
import GazetteDigest
import MCP

/// A reader's digest filters and language, and the stories of their channels (issue 15).
enum ReaderTools {
    static let all = [getStories, listFilters, addFilter, removeFilter, setDigestLanguage, setDigestImages]

    static let kinds = ReaderFilter.Kind.allCases.map(\.rawValue)

    static let filtersSchema = Schema.list(of: Schema.result(["kind": Schema.outString, "value": Schema.outString]))

    static let storySchema = Schema.result([
        "key": Schema.outString, "title": Schema.outString, "summary": Schema.outString,
        "channels": Schema.list(of: Schema.result(["channel": Schema.outString, "title": Schema.outString])),
        "corroboration": Schema.out("integer", "Channels that reported it."), "first_report": Schema.outString,
        "score": Schema.outNumber, "language": Schema.outString,
        "posts": Schema.list(of: Schema.result([
            "channel": Schema.outString, "message_id": Schema.outInt, "url": Schema.nullable("string"), "date": Schema.outString,
            "views": Schema.nullable("integer"), "excerpt": Schema.outString,
        ])),
    ])

    static let filterSchema: [String: Value] = [
        "user_id": Schema.userID,
        "kind": .object(["type": "string", "enum": .array(kinds.map { .string($0) }),
                         "description": "include / exclude (a word or phrase, any inflection), mute (a channel), no_ads, ad_marker (your own ad label), min_length (characters)."]),
        "value": Schema.string("The phrase, channel, marker or number; empty for no_ads.", maxLength: 2048),
    ]

    static func filter(_ args: ToolArguments) throws(ToolError) -> ReaderFilter {
        let raw = try args.string("kind", maxLength: 32)
        guard let kind = ReaderFilter.Kind(rawValue: raw) else {
            throw .invalidArguments(argument: "kind", reason: "expected one of \(kinds.joined(separator: ", ")), got '\(raw.prefix(32))'")
        }
        let value = try args.optionalString("value", maxLength: 2048) ?? ""
        do {
            return try ReaderFilter.make(kind: kind, value: value)
        } catch {
            throw .invalidArguments(argument: "value", reason: "\(kind.rawValue): \(error.reason)")
        }
    }

    static func json(_ filters: [ReaderFilter]) -> Value {
        .array(filters.map { ["kind": .string($0.kind.rawValue), "value": .string($0.value)] })
    }

    static let getStories = ToolDefinition(
        name: "get_stories",
        title: "Top stories",
        hints: .readOnlyOpenWorld,
        description: "Stories of the user's channels in the last `hours`: posts of several channels that report the same event "
            + "merged, ranked by how many channels reported them, relative views and recency; the user's filters apply. "
            + "Each story has a title, summary, the channels that reported it, the first report's time and every post's link.",
        inputSchema: Schema.object([
            "user_id": Schema.userID,
            "hours": Schema.hours(default: 24),
            "limit": Schema.integer("Most stories returned (one page).", minimum: 1, maximum: 100, default: 10),
            "cursor": Schema.cursor,
        ], required: ["user_id"]),
        outputSchema: Schema.result(["user_id": Schema.outInt, "hours": Schema.outInt, "stories": Schema.list(of: storySchema), "count": Schema.outInt,
                                     "total_stories": Schema.outInt, "posts": Schema.outInt, "hidden_by_filters": Schema.outInt,
                                     "next_cursor": Schema.nextCursor])
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        let hours = try args.int("hours", default: 24, in: 1...168)
        let limit = try args.int("limit", default: 10, in: 1...100)
        let offset = try args.pageOffset(tool: "get_stories", userID: userID)
        let result: StoryList
        do throws(DigestError) {
            result = try await ctx.digest.stories(userID: userID, hours: hours, now: ctx.now(), limit: offset + limit)
        } catch {
            throw ToolError.from(digest: error, templateArgument: "hours")
        }
        let more = result.total > offset + limit
        let stories: [Value] = result.stories.dropFirst(offset).prefix(limit).map { s in
            [
                "key": .string(s.key), "title": .string(s.title), "summary": .string(s.summary),
                "channels": .array(zip(s.channels, s.channelTitles).map { ["channel": .string($0), "title": .string($1)] }),
                "corroboration": .int(s.corroboration), "first_report": ToolJSON.date(s.firstReport),
                "score": .double(s.score), "language": .string(s.language.rawValue),
                "posts": .array(s.posts.map { p in
                    ["channel": .string(p.channel), "message_id": ToolJSON.id(p.messageID), "url": p.url.map(Value.string) ?? .null,
                     "date": ToolJSON.date(p.date), "views": p.views.map { .int($0) } ?? .null, "excerpt": .string(p.excerpt)]
                }),
            ]
        }
        return ["user_id": ToolJSON.id(userID), "hours": .int(hours), "stories": .array(stories), "count": .int(stories.count),
                "total_stories": .int(result.total), "posts": .int(result.posts), "hidden_by_filters": .int(result.hidden),
                "next_cursor": more ? .string(PageCursor.make(tool: "get_stories", userID: userID, offset: offset + limit)) : .null]
    }

    static let listFilters = ToolDefinition(
        name: "list_filters",
        title: "Digest filters and language",
        hints: .readOnly,
        description: "The user's digest filters and digest language (ru, en, or auto: the language of most posts).",
        inputSchema: Schema.object(["user_id": Schema.userID], required: ["user_id"]),
        outputSchema: Schema.result(["user_id": Schema.outInt, "filters": filtersSchema, "language": Schema.outString])
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        do {
            let filters = try await ctx.store.readerFilters(userID: userID)
            let language = try await ctx.store.readerLanguage(userID: userID)
            return ["user_id": ToolJSON.id(userID), "filters": json(filters), "language": .string(language ?? "auto")]
        } catch {
            throw ToolError.from(store: error)
        }
    }

    static let addFilter = ToolDefinition(
        name: "add_filter",
        title: "Add a digest filter",
        hints: .additiveIdempotent,
        description: "Add a digest filter for the user. Filters only shape digests: no post is deleted, and the digest's "
            + "footer says how many posts they hid.",
        inputSchema: Schema.object(filterSchema, required: ["user_id", "kind"]),
        outputSchema: Schema.result(["user_id": Schema.outInt, "created": Schema.outBool, "filters": filtersSchema])
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        let f = try filter(args)
        do {
            let created = try await ctx.store.addReaderFilter(userID: userID, f)
            return ["user_id": ToolJSON.id(userID), "created": .bool(created), "filters": json(try await ctx.store.readerFilters(userID: userID))]
        } catch {
            throw ToolError.from(store: error)
        }
    }

    static let removeFilter = ToolDefinition(
        name: "remove_filter",
        title: "Remove a digest filter",
        hints: .destructiveIdempotent,
        description: "Remove one of the user's digest filters.",
        inputSchema: Schema.object(filterSchema, required: ["user_id", "kind"]),
        outputSchema: Schema.result(["user_id": Schema.outInt, "removed": Schema.outBool, "filters": filtersSchema])
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        let f = try filter(args)
        do {
            guard try await ctx.store.removeReaderFilter(userID: userID, f) else {
                throw ToolError.notFound("user \(userID) has no filter \(f.kind.rawValue) '\(f.value)'")
            }
            return ["user_id": ToolJSON.id(userID), "removed": .bool(true), "filters": json(try await ctx.store.readerFilters(userID: userID))]
        } catch let error as ToolError {
            throw error
        } catch {
            throw ToolError.from(store: error)
        }
    }

    static let setDigestLanguage = ToolDefinition(
        name: "set_digest_language",
        title: "Set the digest language",
        hints: ToolHints(readOnly: false, destructive: false, idempotent: true, openWorld: false),
        description: "Language of the digest's own words (title, headings, dates, counts, footer) for the user: ru, en, "
            + "or auto (the language of most posts). Summaries stay in the posts' language.",
        inputSchema: Schema.object([
            "user_id": Schema.userID,
            "language": .object(["type": "string", "enum": ["ru", "en", "auto"], "description": "ru, en or auto."]),
        ], required: ["user_id", "language"]),
        outputSchema: Schema.result(["user_id": Schema.outInt, "language": Schema.outString])
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        let raw = try args.string("language", maxLength: 8).lowercased()
        guard ["ru", "en", "auto"].contains(raw) else {
            throw .invalidArguments(argument: "language", reason: "expected ru, en or auto, got '\(raw.prefix(8))'")
        }
        do {
            try await ctx.store.setReaderLanguage(userID: userID, raw == "auto" ? nil : raw)
        } catch {
            throw ToolError.from(store: error)
        }
        return ["user_id": ToolJSON.id(userID), "language": .string(raw)]
    }

    static let setDigestImages = ToolDefinition(
        name: "set_digest_images",
        title: "Pictures in the user's digests",
        hints: ToolHints(readOnly: false, destructive: false, idempotent: true, openWorld: false),
        description: "Whether the user's digests show the posts' pictures (one per story and per channel section): on, off, "
            + "or default (the server's --images setting). The user's choice wins over the server's.",
        inputSchema: Schema.object([
            "user_id": Schema.userID,
            "images": .object(["type": "string", "enum": ["on", "off", "default"], "description": "on, off or default."]),
        ], required: ["user_id", "images"]),
        outputSchema: Schema.result(["user_id": Schema.outInt, "images": Schema.outString])
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        let raw = try args.string("images", maxLength: 8).lowercased()
        let value: Bool?
        switch raw {
        case "on": value = true
        case "off": value = false
        case "default": value = nil
        default: throw .invalidArguments(argument: "images", reason: "expected on, off or default, got '\(raw.prefix(8))'")
        }
        do {
            try await ctx.store.setReaderImages(userID: userID, value)
        } catch {
            throw ToolError.from(store: error)
        }
        return ["user_id": ToolJSON.id(userID), "images": .string(raw)]
    }
}
