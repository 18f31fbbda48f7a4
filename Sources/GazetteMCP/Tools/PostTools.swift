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

    static let getPostsFromDB = ToolDefinition(
        name: "get_posts_from_db",
        title: "Stored posts of the user's channels",
        hints: .readOnly,
        description: "Stored posts of the user's channels from the last `hours`, grouped by channel (newest first).",
        inputSchema: Schema.object([
            "user_id": Schema.userID,
            "hours": Schema.hours(default: 24),
        ], required: ["user_id"]),
        outputSchema: Schema.result([
            "posts_by_channel": .object(["type": "object", "description": "Channel key → its posts, newest first.",
                                         "additionalProperties": Schema.list(of: Schema.outPost)]),
            "total_posts": Schema.outInt, "channels_count": Schema.outInt, "hours": Schema.outInt,
        ])
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        let hours = try args.int("hours", default: 24, in: 1...168)
        let now = ctx.now()
        let groups: [ChannelPosts]
        do {
            groups = try await ctx.store.posts(forUser: userID, since: now.addingTimeInterval(-Double(hours) * 3600), until: now,
                                               limits: WindowLimits(maxChannels: 100, maxPostsPerChannel: 500))
        } catch {
            throw ToolError.from(store: error)
        }
        var byChannel: [String: Value] = [:]
        var total = 0
        for group in groups {
            byChannel[group.channel.key] = .array(group.posts.map(ToolJSON.post))
            total += group.posts.count
        }
        return [
            "posts_by_channel": .object(byChannel), "total_posts": .int(total),
            "channels_count": .int(groups.count), "hours": .int(hours),
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
