import Foundation
import GazetteCore
import MCP

/// `save_posts_to_db`, `get_posts_from_db`: posts kept per channel, read per user.
enum PostTools {
    static let all = [savePosts, getPostsFromDB]

    static let savePosts = ToolDefinition(
        name: "save_posts_to_db",
        title: "Store posts",
        hints: .additiveIdempotent,
        description: "Save posts of one channel (subscribing the user to it if needed). A post already stored "
            + "(same message_id) or a same-text repost within 7 days counts as skipped. Returns {saved, skipped, total}.",
        inputSchema: Schema.object([
            "posts": Schema.array("Posts to save.", items: Schema.post, maxItems: ToolJSON.maxPostsPerCall),
            "channel_username": Schema.channelUsername,
            "user_id": Schema.userID,
        ], required: ["posts", "channel_username", "user_id"]),
        outputSchema: Schema.result(Schema.saveCounts.merging(["channel": Schema.outString, "channel_id": Schema.outInt]) { a, _ in a })
    ) { args, ctx async throws(ToolError) in
        let ref = try args.channel()
        let userID = try args.id("user_id")
        let posts = try ToolJSON.posts(try args.array("posts", maxCount: ToolJSON.maxPostsPerCall),
                                       argument: "posts", channel: ref.key)
        let channel = try await ctx.ensureSubscribed(userID: userID, ref: ref)
        let result = try await ctx.save(posts, channelID: channel.id)
        return [
            "channel": .string(channel.key), "channel_id": ToolJSON.id(channel.id),
            "saved": .int(result.saved), "skipped": .int(result.skipped), "total": .int(result.total),
        ]
    }

    /// Posts in one answer of get_posts_from_db unless `limit` says otherwise.
    static let defaultPostLimit = 200

    static let getPostsFromDB = ToolDefinition(
        name: "get_posts_from_db",
        title: "Stored posts of the user's channels",
        hints: .readOnly,
        description: "Stored posts of the user's channels from the last `hours`, grouped by channel (newest first). At most "
            + "`limit` posts (default 200) per answer: `truncated` says when there are more, and `next_cursor` fetches them.",
        inputSchema: Schema.object([
            "user_id": Schema.userID,
            "hours": Schema.hours(default: 24),
            "limit": Schema.integer("Most posts in this answer (one page).", minimum: 1, maximum: ToolJSON.maxPostsPerCall,
                                    default: defaultPostLimit),
            "cursor": Schema.cursor,
        ], required: ["user_id"]),
        outputSchema: Schema.result([
            "posts_by_channel": .object(["type": "object", "description": "Channel key → its posts, newest first.",
                                         "additionalProperties": Schema.list(of: Schema.outPost)]),
            "total_posts": Schema.out("integer", "Posts in this answer."), "channels_count": Schema.outInt, "hours": Schema.outInt,
            "truncated": Schema.out("boolean", "More posts follow (see next_cursor)."), "next_cursor": Schema.nextCursor,
        ])
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        let hours = try args.int("hours", default: 24, in: 1...168)
        let limit = try args.int("limit", default: defaultPostLimit, in: 1...ToolJSON.maxPostsPerCall)
        let offset = try args.pageOffset(tool: "get_posts_from_db", userID: userID)
        let now = ctx.now()
        let groups: [ChannelPosts]
        do {
            groups = try await ctx.store.posts(forUser: userID, since: now.addingTimeInterval(-Double(hours) * 3600), until: now,
                                               limits: WindowLimits(maxChannels: 100, maxPostsPerChannel: 500))
        } catch {
            throw ToolError.from(store: error)
        }
        // The page: posts in channel order, newest first within each channel, from `offset`.
        let all = groups.flatMap { g in g.posts.map { (g.channel.key, $0) } }
        let page = all.dropFirst(offset).prefix(limit)
        var byChannel: [String: [Value]] = [:]
        for (key, post) in page { byChannel[key, default: []].append(ToolJSON.post(post)) }
        let more = all.count > offset + limit
        return [
            "posts_by_channel": .object(byChannel.mapValues { .array($0) }), "total_posts": .int(page.count),
            "channels_count": .int(byChannel.count), "hours": .int(hours), "truncated": .bool(more),
            "next_cursor": more ? .string(PageCursor.make(tool: "get_posts_from_db", userID: userID, offset: offset + limit)) : .null,
        ]
    }
}

extension ToolContext {
    func save(_ posts: [Post], channelID: Int64) async throws(ToolError) -> SaveResult {
        do {
            return try await store.savePosts(posts, channelID: channelID, outcome: nil, dedupWindow: dedupWindow)
        } catch {
            throw ToolError.from(store: error)
        }
    }
}
