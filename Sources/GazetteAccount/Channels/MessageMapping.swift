import Foundation
import GazetteCore

/// TDLib messages of one channel → Gazette posts: text with entities → text and HTML, views, forwards, media kinds,
/// forwarded-from, edit date. The messages of an album (one `media_album_id`) become one post, under the album's
/// first message id, with the caption the album has and its media counted per kind. Service messages are skipped.
public struct MessageMapping: Sendable {
    /// `Post.channel`: the channel key (`durov`, `+HASH`).
    public let channelKey: String
    /// The public username for t.me links, nil for a private channel (links then go through `t.me/c/`).
    public let username: String?

    public init(channelKey: String, username: String?) {
        self.channelKey = channelKey
        self.username = username
    }

    /// Posts, oldest first. `origins` names the chats and users messages were forwarded from (unknown ones are left
    /// out of `forwardedFrom`).
    public func posts(_ messages: [TDMessage], origins: [TDForwardOrigin: String] = [:], fetchedAt: Date? = nil) -> [Post] {
        var albums: [Int64: Int] = [:]
        var posts: [Post] = []
        posts.reserveCapacity(messages.count)
        for message in messages.sorted(by: { $0.id < $1.id }) {
            guard message.content.isPost, let serverID = message.serverID else { continue }
            if message.mediaAlbumID != 0, let index = albums[message.mediaAlbumID] {
                merge(message, into: &posts[index])
                continue
            }
            if message.mediaAlbumID != 0 { albums[message.mediaAlbumID] = posts.count }
            posts.append(post(message, serverID: serverID, origins: origins, fetchedAt: fetchedAt))
        }
        return posts
    }

    /// One message as a post of its own (an update: new message or edit).
    public func post(_ message: TDMessage, origins: [TDForwardOrigin: String] = [:], fetchedAt: Date? = nil) -> Post? {
        guard message.content.isPost, let serverID = message.serverID else { return nil }
        return post(message, serverID: serverID, origins: origins, fetchedAt: fetchedAt)
    }

    private func post(_ message: TDMessage, serverID: Int64, origins: [TDForwardOrigin: String], fetchedAt: Date?) -> Post {
        let formatted = message.content.text
        let text = formatted?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return Post(channel: channelKey, messageID: serverID, text: text,
                    html: text.isEmpty ? nil : formatted.map(FormattedTextHTML.html),
                    date: Date(timeIntervalSince1970: TimeInterval(message.date)), views: message.viewCount,
                    url: url(serverID: serverID, chatID: message.chatID),
                    media: message.content.mediaKind.map { [MediaSummary(kind: $0, count: message.content.itemCount)] } ?? [],
                    forwardedFrom: message.forwardOrigin.flatMap { origins[$0] ?? Self.fallbackName($0) },
                    linkPreviewTitle: message.content.linkPreviewTitle, fetchedAt: fetchedAt, forwards: message.forwardCount,
                    editedAt: message.editDate > 0 ? Date(timeIntervalSince1970: TimeInterval(message.editDate)) : nil,
                    images: message.content.photoReference().map { [$0] } ?? [])
    }

    private func merge(_ message: TDMessage, into post: inout Post) {
        if post.text.isEmpty, let formatted = message.content.text {
            let text = formatted.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty {
                post.text = text
                post.html = FormattedTextHTML.html(formatted)
            }
        }
        if let kind = message.content.mediaKind {
            if let index = post.media.firstIndex(where: { $0.kind == kind }) {
                post.media[index].count += message.content.itemCount
            } else {
                post.media.append(MediaSummary(kind: kind, count: message.content.itemCount))
            }
        }
        if let photo = message.content.photoReference(), post.images.count < ImageRef.maxPerPost { post.images.append(photo) }
        if let views = message.viewCount { post.views = max(post.views ?? 0, views) }
        if let forwards = message.forwardCount { post.forwards = max(post.forwards ?? 0, forwards) }
        if message.editDate > 0 {
            let edited = Date(timeIntervalSince1970: TimeInterval(message.editDate))
            post.editedAt = max(post.editedAt ?? edited, edited)
        }
    }

    /// `https://t.me/<username>/<id>`, or `https://t.me/c/<channel id>/<id>` for a private channel (members only).
    func url(serverID: Int64, chatID: Int64) -> String? {
        if let username { return "https://t.me/\(username)/\(serverID)" }
        // Supergroup and channel chat ids are -100<channel id>.
        let channelID = -chatID - 1_000_000_000_000
        return channelID > 0 ? "https://t.me/c/\(channelID)/\(serverID)" : nil
    }

    private static func fallbackName(_ origin: TDForwardOrigin) -> String? {
        if case .hiddenUser(let name) = origin, !name.isEmpty { return name }
        return nil
    }
}
