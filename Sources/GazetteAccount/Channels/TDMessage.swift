import Foundation
import GazetteCore

/// TDLib's `formattedText`: plain text and entities whose offsets and lengths count UTF-16 code units.
public struct TDFormattedText: Sendable, Equatable, Decodable {
    public struct Entity: Sendable, Equatable, Decodable {
        public let offset: Int
        public let length: Int
        /// `textEntityTypeBold`, `textEntityTypeTextUrl`, …
        public let type: String
        public let url: String?
        public let language: String?

        enum CodingKeys: String, CodingKey { case offset, length, type }
        private struct Kind: Decodable {
            let type: String
            let url: String?
            let language: String?
            enum CodingKeys: String, CodingKey { case type = "@type", url, language }
        }

        public init(offset: Int, length: Int, type: String, url: String? = nil, language: String? = nil) {
            (self.offset, self.length, self.type, self.url, self.language) = (offset, length, type, url, language)
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            offset = try c.decode(Int.self, forKey: .offset)
            length = try c.decode(Int.self, forKey: .length)
            let kind = try c.decode(Kind.self, forKey: .type)
            (type, url, language) = (kind.type, kind.url, kind.language)
        }
    }

    public let text: String
    public let entities: [Entity]

    public init(text: String, entities: [Entity] = []) {
        self.text = text
        self.entities = entities
    }

    enum CodingKeys: String, CodingKey { case text, entities }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        text = try c.decodeIfPresent(String.self, forKey: .text) ?? ""
        entities = try c.decodeIfPresent([Entity].self, forKey: .entities) ?? []
    }
}

/// Where a forwarded message came from (`messageOrigin*`).
public enum TDForwardOrigin: Sendable, Hashable, Decodable {
    case user(id: Int64)
    case hiddenUser(name: String)
    case chat(id: Int64)
    case channel(id: Int64)

    enum CodingKeys: String, CodingKey {
        case type = "@type", senderUserID = "sender_user_id", senderName = "sender_name", senderChatID = "sender_chat_id", chatID = "chat_id"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch TDType(rawValue: try c.decode(String.self, forKey: .type)) {
        case .messageOriginUser?: self = .user(id: try c.decode(Int64.self, forKey: .senderUserID))
        case .messageOriginChat?: self = .chat(id: try c.decode(Int64.self, forKey: .senderChatID))
        case .messageOriginChannel?: self = .channel(id: try c.decode(Int64.self, forKey: .chatID))
        case .messageOriginHiddenUser?: self = .hiddenUser(name: try c.decodeIfPresent(String.self, forKey: .senderName) ?? "")
        default: self = .hiddenUser(name: "")
        }
    }
}

/// The parts of a message's content Gazette keeps: its kind, its text or caption, a link preview's title.
public struct TDMessageContent: Sendable, Equatable, Decodable {
    public let type: String
    /// `messageText.text`, a media caption, or a poll's question.
    public let text: TDFormattedText?
    public let linkPreviewTitle: String?
    /// Items of a paid-media message.
    public let itemCount: Int
    /// A `messagePhoto`'s sizes (`photo.sizes`), smallest first as TDLib lists them.
    public let photoSizes: [TDPhotoSize]

    public init(type: String, text: TDFormattedText?, linkPreviewTitle: String? = nil, itemCount: Int = 1, photoSizes: [TDPhotoSize] = []) {
        (self.type, self.text, self.linkPreviewTitle, self.itemCount) = (type, text, linkPreviewTitle, itemCount)
        self.photoSizes = photoSizes
    }

    enum CodingKeys: String, CodingKey {
        case type = "@type", text, caption, linkPreview = "link_preview", webPage = "web_page", poll, media, photo
    }
    private struct Photo: Decodable { let sizes: [TDPhotoSize]? }
    private struct Titled: Decodable { let title: String? }
    private struct Poll: Decodable {
        let question: TDFormattedText?
        enum CodingKeys: String, CodingKey { case question }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            // A plain string before TDLib 1.8.3x, formatted text since.
            if let plain = try? c.decode(String.self, forKey: .question) {
                question = TDFormattedText(text: plain)
            } else {
                question = try c.decodeIfPresent(TDFormattedText.self, forKey: .question)
            }
        }
    }
    private struct Ignored: Decodable {}

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(String.self, forKey: .type)
        let known = TDType(rawValue: type)
        switch known {
        case .messageText?: text = try c.decodeIfPresent(TDFormattedText.self, forKey: .text)
        case .messagePoll?: text = try c.decodeIfPresent(Poll.self, forKey: .poll)?.question
        default: text = try c.decodeIfPresent(TDFormattedText.self, forKey: .caption)
        }
        linkPreviewTitle = try (c.decodeIfPresent(Titled.self, forKey: .linkPreview) ?? c.decodeIfPresent(Titled.self, forKey: .webPage))?.title
        itemCount = known == .messagePaidMedia ? max(1, try c.decodeIfPresent([Ignored].self, forKey: .media)?.count ?? 1) : 1
        photoSizes = known == .messagePhoto ? (try? c.decodeIfPresent(Photo.self, forKey: .photo)?.sizes) ?? [] : []
    }

    /// The picture a digest would show: the largest size whose longer side is at most `maxSide` pixels (the smallest
    /// when every size is larger), by its remote file id. TDLib files are not downloaded yet (docs/SOURCES.md).
    public func photoReference(maxSide: Int = 1280) -> ImageRef? {
        let usable = photoSizes.filter { !$0.remoteID.isEmpty }
        let fitting = usable.filter { max($0.width, $0.height) <= maxSide }
        guard let size = fitting.max(by: { $0.width * $0.height < $1.width * $1.height })
                ?? usable.min(by: { $0.width * $0.height < $1.width * $1.height }) else { return nil }
        return ImageRef(kind: .photo, remoteFileID: size.remoteID, width: size.width, height: size.height)
    }

    /// The media kind stored in `Post.media` (the names the other sources use), nil for text; `isPost` is false for
    /// service messages (a pin, a new title or photo, a video chat…), which are never stored.
    public var mediaKind: String? { TDType(rawValue: type).flatMap { Self.mediaKinds[$0] } ?? nil }
    public var isPost: Bool { TDType(rawValue: type).map { Self.mediaKinds[$0] != nil } ?? false }

    static let mediaKinds: [TDType: String?] = [
        .messageText: nil, .messagePhoto: "photo", .messageVideo: "video", .messageAnimation: "animation",
        .messageDocument: "document", .messageAudio: "audio", .messageVoiceNote: "voice", .messageVideoNote: "video_note",
        .messageSticker: "sticker", .messagePoll: "poll", .messageLocation: "location", .messageVenue: "location",
        .messageContact: "contact", .messagePaidMedia: "paid_media", .messageStory: "story", .messageDice: "dice",
        .messageGame: "game", .messageInvoice: "invoice", .messageGiveaway: "giveaway",
    ]
}

/// One size of a TDLib photo (`photoSize`): its type letter, pixel size and the file's remote id.
public struct TDPhotoSize: Sendable, Equatable, Decodable {
    public let type: String
    public let width: Int
    public let height: Int
    /// `photo.remote.id`: stable across sessions, what `getRemoteFile` takes.
    public let remoteID: String

    public init(type: String, width: Int, height: Int, remoteID: String) {
        (self.type, self.width, self.height, self.remoteID) = (type, width, height, remoteID)
    }

    enum CodingKeys: String, CodingKey { case type, width, height, photo }
    private struct File: Decodable {
        struct Remote: Decodable { let id: String? }
        let remote: Remote?
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? ""
        width = try c.decodeIfPresent(Int.self, forKey: .width) ?? 0
        height = try c.decodeIfPresent(Int.self, forKey: .height) ?? 0
        remoteID = try c.decodeIfPresent(File.self, forKey: .photo)?.remote?.id ?? ""
    }
}

/// A channel message (`message`): only the fields Gazette maps into a post.
public struct TDMessage: Sendable, Equatable, Decodable {
    public let id: Int64
    public let chatID: Int64
    public let date: Int64
    public let editDate: Int64
    /// 0 when the message is not part of an album. An int64: a string in TDLib's JSON.
    public let mediaAlbumID: Int64
    public let content: TDMessageContent
    public let viewCount: Int?
    public let forwardCount: Int?
    public let forwardOrigin: TDForwardOrigin?

    public init(id: Int64, chatID: Int64, date: Int64, editDate: Int64 = 0, mediaAlbumID: Int64 = 0, content: TDMessageContent,
                viewCount: Int? = nil, forwardCount: Int? = nil, forwardOrigin: TDForwardOrigin? = nil) {
        (self.id, self.chatID, self.date, self.editDate, self.mediaAlbumID) = (id, chatID, date, editDate, mediaAlbumID)
        (self.content, self.viewCount, self.forwardCount, self.forwardOrigin) = (content, viewCount, forwardCount, forwardOrigin)
    }

    enum CodingKeys: String, CodingKey {
        case id, chatID = "chat_id", date, editDate = "edit_date", mediaAlbumID = "media_album_id", content
        case interactionInfo = "interaction_info", forwardInfo = "forward_info"
    }
    private struct Interaction: Decodable {
        let viewCount: Int?
        let forwardCount: Int?
        enum CodingKeys: String, CodingKey { case viewCount = "view_count", forwardCount = "forward_count" }
    }
    private struct ForwardInfo: Decodable { let origin: TDForwardOrigin? }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int64.self, forKey: .id)
        chatID = try c.decode(Int64.self, forKey: .chatID)
        date = try c.decode(Int64.self, forKey: .date)
        editDate = try c.decodeIfPresent(Int64.self, forKey: .editDate) ?? 0
        if let text = try? c.decodeIfPresent(String.self, forKey: .mediaAlbumID) {
            mediaAlbumID = Int64(text) ?? 0
        } else {
            mediaAlbumID = try c.decodeIfPresent(Int64.self, forKey: .mediaAlbumID) ?? 0
        }
        content = try c.decode(TDMessageContent.self, forKey: .content)
        let interaction = try c.decodeIfPresent(Interaction.self, forKey: .interactionInfo)
        viewCount = interaction?.viewCount
        forwardCount = interaction?.forwardCount
        forwardOrigin = try c.decodeIfPresent(ForwardInfo.self, forKey: .forwardInfo)?.origin
    }

    /// The id t.me links use: TDLib's message ids are the server's shifted left by 20 bits; a message not yet on the
    /// server (local, being sent) has none.
    public var serverID: Int64? {
        id > 0 && id & 0xFFFFF == 0 ? id >> 20 : nil
    }
}

/// `messages`: a page of `getChatHistory`.
struct TDMessages: Decodable {
    let messages: [TDMessage?]
}

/// A chat as `searchPublicChat`, `joinChatByInviteLink` and `getChat` return it.
public struct TDChat: Sendable, Equatable, Decodable {
    public let id: Int64
    public let title: String
}

/// `checkChatInviteLink`: `chat_id` is 0 when the account has not joined.
struct TDInviteLinkInfo: Decodable {
    let chatID: Int64
    let title: String
    enum CodingKeys: String, CodingKey { case chatID = "chat_id", title }
}
