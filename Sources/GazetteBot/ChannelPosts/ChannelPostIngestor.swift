import Foundation
import GazetteCore
import Logging

/// Stores `channel_post` / `edited_channel_post` updates of channels the bot administers as posts (SPEC §3.3).
/// Service messages (the channel was created, renamed, given a photo, a message was pinned…) are not posts and are
/// never stored.
///
/// Identity: a channel with a public username is stored as `.telegram(username:)` — the same channel the preview
/// fetcher reads, so posts merge on (channel, message id) and people subscribe to it by `@name` as usual. A private
/// channel has no username and is stored as `.botapi(chatID:)`; the administrator who added the bot is subscribed
/// to it (see `BotHandler.handleMembership`).
public struct ChannelPostIngestor: Sendable {
    let store: any ChannelStore & PostStore
    let logger: Logger
    public static let dedupWindow: TimeInterval = 7 * 86400

    public init(store: any ChannelStore & PostStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    public static func ref(for chat: Chat) -> ChannelRef {
        if let username = chat.username {
            do {
                return .telegram(username: try ChannelRef.validateUsername(username))
            } catch {
                // A username outside Gazette's rules (e.g. a collectible 4-letter one): keyed by chat id instead.
            }
        }
        return .botapi(chatID: chat.id)
    }

    /// The stored channel for a Bot API chat, created (with its title) when unknown.
    func channel(for chat: Chat) async throws -> Channel {
        let channel = try await store.upsertChannel(Self.ref(for: chat))
        if let title = chat.title, channel.metadata.title != title {
            var metadata = channel.metadata
            metadata.title = title
            try await store.updateChannelMetadata(channelID: channel.id, metadata)
            return Channel(id: channel.id, ref: channel.ref, metadata: metadata, createdAt: channel.createdAt)
        }
        return channel
    }

    public func ingest(_ message: Message, edited: Bool) async throws {
        guard message.chat.type == "channel" else { return }
        let channel = try await channel(for: message.chat)
        // Service messages are not content and are not stored at all; the channel's title above is still refreshed,
        // which is what a `new_chat_title` is about. Any message without text, caption or nameable content is one.
        if message.isServiceMessage {
            logger.debug("channel service message not stored", metadata: [
                "channel": .string(channel.key), "field": .string(message.serviceField ?? "unknown"),
            ])
            return
        }
        let post = Self.post(from: message, channelKey: channel.key)
        if edited {
            try await store.upsertPost(post, channelID: channel.id)
        } else {
            let result = try await store.savePosts([post], channelID: channel.id, outcome: nil, dedupWindow: Self.dedupWindow)
            logger.debug("channel post stored", metadata: ["channel": .string(channel.key), "saved": .stringConvertible(result.saved)])
        }
    }

    public static func post(from message: Message, channelKey: String) -> Post {
        let text = message.postText
        // Entities belong to the text or the caption they came with; a content label has none.
        let entities = message.text?.isEmpty == false ? (message.entities ?? [])
            : message.caption?.isEmpty == false ? (message.captionEntities ?? []) : []
        var media: [MediaSummary] = []
        if message.photo?.isEmpty == false { media.append(MediaSummary(kind: "photo", count: 1)) }
        if message.video != nil { media.append(MediaSummary(kind: "video", count: 1)) }
        if message.animation != nil { media.append(MediaSummary(kind: "animation", count: 1)) }
        if message.document != nil, message.animation == nil { media.append(MediaSummary(kind: "document", count: 1)) }
        if message.audio != nil { media.append(MediaSummary(kind: "audio", count: 1)) }
        if message.voice != nil { media.append(MediaSummary(kind: "voice", count: 1)) }
        if message.poll != nil { media.append(MediaSummary(kind: "poll", count: 1)) }
        if message.sticker != nil { media.append(MediaSummary(kind: "sticker", count: 1)) }
        if message.videoNote != nil { media.append(MediaSummary(kind: "round_video", count: 1)) }
        if message.location != nil || message.venue != nil { media.append(MediaSummary(kind: "location", count: 1)) }
        let url = message.chat.username.map { "https://t.me/\($0)/\(message.messageID)" }
        return Post(channel: channelKey, messageID: message.messageID, text: text,
                    html: text.isEmpty ? nil : EntityHTML.render(text, entities: entities),
                    date: Date(timeIntervalSince1970: TimeInterval(message.date)), url: url, media: media,
                    forwardedFrom: message.forwardOrigin?.chat?.title, fetchedAt: nil)
    }
}
