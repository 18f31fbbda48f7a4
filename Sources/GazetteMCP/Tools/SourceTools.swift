import Foundation
import GazetteCore
import MCP

/// `get_channel_metadata`, `get_posts`, `collect_posts`: live reads from the channel's source.
enum SourceTools {
    static let all = [getChannelMetadata, getPosts, collectPosts]

    static let getChannelMetadata = ToolDefinition(
        name: "get_channel_metadata",
        title: "Channel header (live)",
        hints: .readOnlyOpenWorld,
        description: "Fetch a channel's public header: title, description, subscriber count and photo URL.",
        inputSchema: Schema.object(["channel_username": Schema.channelUsername], required: ["channel_username"]),
        outputSchema: Schema.result(["channel": Schema.outString, "title": Schema.nullable("string"), "description": Schema.nullable("string"),
                                     "subscribers": Schema.nullable("integer"), "photo_url": Schema.nullable("string")])
    ) { args, ctx async throws(ToolError) in
        let ref = try args.channel()
        let fetched = try await ctx.fetcher.fetch(ref, since: ctx.now().addingTimeInterval(-86400))
        let m = fetched.metadata ?? ChannelMetadata()
        return [
            "channel": .string(ref.key),
            "title": ToolJSON.string(m.title),
            "description": ToolJSON.string(m.description),
            "subscribers": ToolJSON.int(m.subscribers),
            "photo_url": ToolJSON.string(m.photoURL),
        ]
    }

    static let getPosts = ToolDefinition(
        name: "get_posts",
        title: "Read a channel's posts (live)",
        hints: .readOnlyOpenWorld,
        description: "Fetch a channel's posts from the last `hours` live from its source (nothing is stored).",
        inputSchema: Schema.object([
            "channel_username": Schema.channelUsername,
            "hours": Schema.hours(default: 24),
        ], required: ["channel_username"]),
        outputSchema: Schema.result(["channel": Schema.outString, "hours": Schema.outInt, "count": Schema.outInt, "posts": Schema.list(of: Schema.outPost)])
    ) { args, ctx async throws(ToolError) in
        let ref = try args.channel()
        let hours = try args.int("hours", default: 24, in: 1...168)
        let since = ctx.now().addingTimeInterval(-Double(hours) * 3600)
        let posts = try await ctx.fetcher.fetch(ref, since: since).posts.filter { $0.date >= since }
        return ["channel": .string(ref.key), "hours": .int(hours), "count": .int(posts.count),
                "posts": .array(posts.map(ToolJSON.post))]
    }

    static let collectPosts = ToolDefinition(
        name: "collect_posts",
        title: "Fetch and store a channel's posts",
        hints: ToolHints(readOnly: false, destructive: false, idempotent: false, openWorld: true),
        description: "Fetch a channel's posts from the last `hours` and store them. With user_id the user is "
            + "subscribed to the channel if needed. Returns {saved, skipped, total}.",
        inputSchema: Schema.object([
            "channel_username": Schema.channelUsername,
            "user_id": Schema.userID,
            "hours": Schema.hours(default: 24),
        ], required: ["channel_username"]),
        outputSchema: Schema.result(Schema.saveCounts.merging(["channel": Schema.outString, "channel_id": Schema.outInt, "hours": Schema.outInt]) { a, _ in a })
    ) { args, ctx async throws(ToolError) in
        let ref = try args.channel()
        let userID = try args.optionalID("user_id")
        let hours = try args.int("hours", default: 24, in: 1...168)
        let since = ctx.now().addingTimeInterval(-Double(hours) * 3600)
        await ctx.report(0, of: 2, "fetching \(ref.key)")
        let fetched = try await ctx.fetcher.fetch(ref, since: since)
        try ctx.checkCancelled()
        await ctx.report(1, of: 2, "storing \(fetched.posts.count) posts")
        let channel: Channel
        do {
            if let userID {
                channel = try await ctx.ensureSubscribed(userID: userID, ref: ref)
            } else {
                channel = try await ctx.store.upsertChannel(ref)
            }
            if let metadata = fetched.metadata {
                try await ctx.store.updateChannelMetadata(channelID: channel.id, metadata)
            }
        } catch {
            throw ToolError.from(store: error)
        }
        let posts = fetched.posts.filter { $0.date >= since }
        let result = try await ctx.save(posts, channelID: channel.id)
        await ctx.report(2, of: 2, "\(result.saved) saved, \(result.skipped) skipped")
        return [
            "channel": .string(channel.key), "channel_id": ToolJSON.id(channel.id), "hours": .int(hours),
            "saved": .int(result.saved), "skipped": .int(result.skipped), "total": .int(result.total),
        ]
    }
}
