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

    /// This text, `separator` and `prefix` (plain), then `other` with its entities moved along (UTF-16 offsets).
    func appending(_ other: TDFormattedText, after prefix: String, separator: String) -> TDFormattedText {
        let joined = text.isEmpty ? prefix : text + separator + prefix
        let shift = joined.utf16.count
        return TDFormattedText(text: joined + other.text, entities: entities + other.entities.map {
            Entity(offset: $0.offset + shift, length: $0.length, type: $0.type, url: $0.url, language: $0.language)
        })
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
