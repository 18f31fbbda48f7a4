import Foundation
import GazetteCore
import MCP

/// `add_channel`, `list_channels`, `delete_channel`: a user's subscriptions.
enum ChannelTools {
    static let all = [addChannel, listChannels, deleteChannel]

    /// One entry of `list_channels`.
    static let subscribedChannel = Schema.result([
        "channel_id": Schema.outInt, "channel": Schema.outString, "kind": Schema.out("string", "telegram or feed."),
        "title": Schema.nullable("string"), "tags": Schema.list(of: Schema.outString), "post_count": Schema.outInt,
        "last_fetch_at": Schema.nullable("string", "Last successful fetch, ISO 8601 UTC."), "last_error": Schema.nullable("string"),
        "account_join": Schema.nullable("string", "A private channel the user account is not a member of yet: "
                                        + "'join requested, waiting for approval', or why it cannot join (a guard bot)."),
        "subscribed_at": Schema.out("string", "ISO 8601 UTC."),
    ])

    static let addChannel = ToolDefinition(
        name: "add_channel",
        title: "Subscribe to a channel",
        hints: .additiveIdempotent,
        description: "Subscribe a user to a Telegram channel (or feed). Returns the channel id and whether the "
            + "subscription is new (subscribed) or existed (already_subscribed).",
        inputSchema: Schema.object([
            "user_id": Schema.userID,
            "channel_username": Schema.channelUsername,
            "tags": Schema.array("Optional tags for the subscription.", items: Schema.string("A tag.", maxLength: 64), maxItems: 20),
        ], required: ["user_id", "channel_username"]),
        outputSchema: Schema.result(["channel_id": Schema.outInt, "channel": Schema.outString, "kind": Schema.outString,
                                     "status": .object(["type": "string", "enum": ["subscribed", "already_subscribed"]])])
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        let ref = try args.channel()
        let tags = try args.stringList("tags", maxCount: 20, maxLength: 64)
        do {
            // Without `tags` an existing subscription is left as it is (the store would replace its tags).
            if tags == nil, let existing = try await ctx.store.subscription(userID: userID, ref: ref)?.channel {
                return ["channel_id": ToolJSON.id(existing.id), "channel": .string(existing.key),
                        "kind": .string(existing.kind.rawValue), "status": "already_subscribed"]
            }
            let (channel, created) = try await ctx.store.subscribe(userID: userID, ref: ref, tags: tags ?? [])
            return [
                "channel_id": ToolJSON.id(channel.id),
                "channel": .string(channel.key),
                "kind": .string(channel.kind.rawValue),
                "status": created ? "subscribed" : "already_subscribed",
            ]
        } catch {
            throw ToolError.from(store: error)
        }
    }

    static let listChannels = ToolDefinition(
        name: "list_channels",
        title: "List subscribed channels",
        hints: .readOnly,
        description: "List a user's subscribed channels with ids, titles, tags, stored post counts and the last fetch.",
        inputSchema: Schema.object([
            "user_id": Schema.userID,
            "limit": Schema.integer("Most channels to return (one page).", minimum: 1, maximum: 500, default: 100),
            "cursor": Schema.cursor,
        ], required: ["user_id"]),
        outputSchema: Schema.result(["user_id": Schema.outInt, "channels": Schema.list(of: subscribedChannel), "count": Schema.outInt,
                                     "next_cursor": Schema.nextCursor])
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        let limit = try args.int("limit", default: 100, in: 1...500)
        let offset = try args.pageOffset(tool: "list_channels", userID: userID)
        var subscriptions: [SubscribedChannel]
        do {
            // One more than the page: whether a next page exists.
            subscriptions = try await ctx.store.subscriptions(userID: userID, limit: limit + 1, offset: offset)
        } catch {
            throw ToolError.from(store: error)
        }
        let more = subscriptions.count > limit
        subscriptions = Array(subscriptions.prefix(limit))
        let channels: [Value] = subscriptions.map { s in
            [
                "channel_id": ToolJSON.id(s.channel.id),
                "channel": .string(s.channel.key),
                "kind": .string(s.channel.kind.rawValue),
                "title": ToolJSON.string(s.channel.metadata.title),
                "tags": .array(s.subscription.tags.map { .string($0) }),
                "post_count": .int(s.postCount),
                "last_fetch_at": ToolJSON.date(s.lastSuccessAt),
                "last_error": ToolJSON.string(s.lastError),
                "account_join": ToolJSON.string(s.accountJoin?.summary),
                "subscribed_at": ToolJSON.date(s.subscription.createdAt),
            ]
        }
        return ["user_id": ToolJSON.id(userID), "channels": .array(channels), "count": .int(channels.count),
                "next_cursor": more ? .string(PageCursor.make(tool: "list_channels", userID: userID, offset: offset + limit)) : .null]
    }

    static let deleteChannel = ToolDefinition(
        name: "delete_channel",
        title: "Unsubscribe from a channel",
        hints: .destructiveIdempotent,
        description: "Unsubscribe a user from a channel by channel id. Status deleted, or not_found when the user "
            + "had no such subscription. The channel's posts stay for its other subscribers.",
        inputSchema: Schema.object([
            "user_id": Schema.userID,
            "channel_id": Schema.integer("Channel id as returned by add_channel or list_channels.", minimum: 1),
        ], required: ["user_id", "channel_id"]),
        outputSchema: Schema.result(["channel_id": Schema.outInt,
                                     "status": .object(["type": "string", "enum": ["deleted", "not_found"]])])
    ) { args, ctx async throws(ToolError) in
        let userID = try args.id("user_id")
        let channelID = try args.id("channel_id")
        let removed: Bool
        do {
            removed = try await ctx.store.unsubscribe(userID: userID, channelID: channelID)
        } catch {
            throw ToolError.from(store: error)
        }
        return ["channel_id": ToolJSON.id(channelID), "status": removed ? "deleted" : "not_found"]
    }
}

extension ToolContext {
    /// Subscribes the user unless already subscribed (keeping the existing tags).
    func ensureSubscribed(userID: Int64, ref: ChannelRef) async throws(ToolError) -> Channel {
        do {
            if let subscribed = try await store.subscription(userID: userID, ref: ref) {
                return subscribed.channel
            }
            return try await store.subscribe(userID: userID, ref: ref, tags: []).channel
        } catch {
            throw ToolError.from(store: error)
        }
    }
}
