import Foundation

// Typed models of the Bot API objects Gazette reads. Only the fields Gazette uses are declared; decoding ignores
// unknown fields because Telegram adds new ones often. Property names follow Swift; JSON keys are snake_case.

/// One incoming update. Exactly one of the optional payloads is set for the kinds Gazette asks for.
public struct Update: Sendable, Decodable, Equatable {
    public var updateID: Int64
    public var message: Message?
    public var editedMessage: Message?
    public var channelPost: Message?
    public var editedChannelPost: Message?
    public var callbackQuery: CallbackQuery?
    public var myChatMember: ChatMemberUpdated?

    /// The kinds passed as `allowed_updates` to `getUpdates`.
    public static let allowedKinds = ["message", "callback_query", "channel_post", "edited_channel_post", "my_chat_member"]

    enum CodingKeys: String, CodingKey {
        case updateID = "update_id", message, editedMessage = "edited_message", channelPost = "channel_post"
        case editedChannelPost = "edited_channel_post", callbackQuery = "callback_query", myChatMember = "my_chat_member"
    }

    public init(updateID: Int64, message: Message? = nil, channelPost: Message? = nil, editedChannelPost: Message? = nil,
                callbackQuery: CallbackQuery? = nil) {
        self.updateID = updateID
        self.message = message
        self.channelPost = channelPost
        self.editedChannelPost = editedChannelPost
        self.callbackQuery = callbackQuery
    }
}

public struct User: Sendable, Codable, Equatable {
    public var id: Int64
    public var isBot: Bool
    public var firstName: String
    public var lastName: String?
    public var username: String?
    public var languageCode: String?

    enum CodingKeys: String, CodingKey {
        case id, isBot = "is_bot", firstName = "first_name", lastName = "last_name", username
        case languageCode = "language_code"
    }

    public init(id: Int64, isBot: Bool = false, firstName: String, username: String? = nil) {
        self.id = id
        self.isBot = isBot
        self.firstName = firstName
        self.username = username
    }
}

public struct Chat: Sendable, Codable, Equatable {
    public var id: Int64
    /// `private`, `group`, `supergroup` or `channel`.
    public var type: String
    public var title: String?
    public var username: String?
    public var firstName: String?

    enum CodingKeys: String, CodingKey { case id, type, title, username, firstName = "first_name" }

    public init(id: Int64, type: String, title: String? = nil, username: String? = nil) {
        self.id = id
        self.type = type
        self.title = title
        self.username = username
    }
}

/// A text span with a meaning. Offsets and lengths count UTF-16 code units, as the Bot API specifies.
public struct MessageEntity: Sendable, Codable, Equatable {
    public var type: String
    public var offset: Int
    public var length: Int
    public var url: String?

    public init(type: String, offset: Int, length: Int, url: String? = nil) {
        self.type = type
        self.offset = offset
        self.length = length
        self.url = url
    }
}

public struct PhotoSize: Sendable, Codable, Equatable {
    public var fileID: String
    public var width: Int
    public var height: Int
    enum CodingKeys: String, CodingKey { case fileID = "file_id", width, height }
}

public struct Document: Sendable, Codable, Equatable {
    public var fileID: String
    public var fileName: String?
    public var mimeType: String?
    public var fileSize: Int?
    enum CodingKeys: String, CodingKey { case fileID = "file_id", fileName = "file_name", mimeType = "mime_type", fileSize = "file_size" }
}

/// Where a forwarded message came from (Bot API 7.0+). Only the channel case matters to Gazette.
public struct MessageOrigin: Sendable, Codable, Equatable {
    /// `user`, `hidden_user`, `chat` or `channel`.
    public var type: String
    public var chat: Chat?
    public var messageID: Int64?
    enum CodingKeys: String, CodingKey { case type, chat, messageID = "message_id" }
    public init(type: String, chat: Chat? = nil, messageID: Int64? = nil) {
        self.type = type
        self.chat = chat
        self.messageID = messageID
    }
}

public struct Message: Sendable, Codable, Equatable {
    public var messageID: Int64
    public var from: User?
    public var senderChat: Chat?
    public var chat: Chat
    public var date: Int64
    public var editDate: Int64?
    public var text: String?
    public var entities: [MessageEntity]?
    public var caption: String?
    public var captionEntities: [MessageEntity]?
    public var photo: [PhotoSize]?
    public var video: FileRef?
    public var document: Document?
    public var audio: FileRef?
    public var voice: FileRef?
    public var animation: FileRef?
    public var poll: Poll?
    // Content without text that is still worth a line in a digest (`MessageContent`).
    public var sticker: Sticker?
    public var videoNote: FileRef?
    public var location: Presence?
    public var venue: Venue?
    public var contact: Contact?
    public var dice: Dice?
    public var story: Presence?
    public var paidMedia: Presence?
    public var game: Titled?
    public var invoice: Titled?
    public var checklist: Titled?
    /// Bot API 10.1 rich messages: blocks whose text is read, whatever their kind.
    public var richMessage: RichMessageText?
    public var authorSignature: String?
    public var forwardOrigin: MessageOrigin?
    /// Older Bot API field for forwards from channels; still sent by some servers.
    public var forwardFromChat: Chat?
    public var replyMarkup: InlineKeyboardMarkup?

    // Service-message fields that can appear in a channel (Telegram writes the event, not a post). Only their
    // presence is read.
    public var newChatTitle: Presence?
    public var newChatPhoto: Presence?
    public var deleteChatPhoto: Presence?
    public var channelChatCreated: Presence?
    public var pinnedMessage: Presence?
    public var messageAutoDeleteTimerChanged: Presence?
    public var videoChatScheduled: Presence?
    public var videoChatStarted: Presence?
    public var videoChatEnded: Presence?
    public var videoChatParticipantsInvited: Presence?
    public var chatBackgroundSet: Presence?
    public var giveawayCreated: Presence?
    public var giveawayCompleted: Presence?
    public var gift: Presence?
    public var uniqueGift: Presence?
    public var directMessagePriceChanged: Presence?

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id", from, senderChat = "sender_chat", chat, date, editDate = "edit_date", text, entities
        case caption, captionEntities = "caption_entities", photo, video, document, audio, voice, animation, poll
        case sticker, videoNote = "video_note", location, venue, contact, dice, story, paidMedia = "paid_media", game
        case invoice, checklist, richMessage = "rich_message"
        case authorSignature = "author_signature", forwardOrigin = "forward_origin", forwardFromChat = "forward_from_chat"
        case replyMarkup = "reply_markup"
        case newChatTitle = "new_chat_title", newChatPhoto = "new_chat_photo", deleteChatPhoto = "delete_chat_photo"
        case channelChatCreated = "channel_chat_created", pinnedMessage = "pinned_message"
        case messageAutoDeleteTimerChanged = "message_auto_delete_timer_changed"
        case videoChatScheduled = "video_chat_scheduled", videoChatStarted = "video_chat_started"
        case videoChatEnded = "video_chat_ended", videoChatParticipantsInvited = "video_chat_participants_invited"
        case chatBackgroundSet = "chat_background_set", giveawayCreated = "giveaway_created"
        case giveawayCompleted = "giveaway_completed", gift, uniqueGift = "unique_gift"
        case directMessagePriceChanged = "direct_message_price_changed"
    }

    /// The JSON name of the service field the message carries, nil when it has none.
    public var serviceField: String? {
        let fields: [(CodingKeys, Presence?)] = [
            (.newChatTitle, newChatTitle), (.newChatPhoto, newChatPhoto), (.deleteChatPhoto, deleteChatPhoto),
            (.channelChatCreated, channelChatCreated), (.pinnedMessage, pinnedMessage),
            (.messageAutoDeleteTimerChanged, messageAutoDeleteTimerChanged), (.videoChatScheduled, videoChatScheduled),
            (.videoChatStarted, videoChatStarted), (.videoChatEnded, videoChatEnded),
            (.videoChatParticipantsInvited, videoChatParticipantsInvited), (.chatBackgroundSet, chatBackgroundSet),
            (.giveawayCreated, giveawayCreated), (.giveawayCompleted, giveawayCompleted), (.gift, gift),
            (.uniqueGift, uniqueGift), (.directMessagePriceChanged, directMessagePriceChanged),
        ]
        return fields.first { $0.1 != nil }?.0.stringValue
    }

    /// The Bot API's InaccessibleMessage (a callback's message the bot can no longer access): `date` is 0.
    public var isInaccessible: Bool { date == 0 }

    /// Not a post: no text, caption or content a digest can name (`MessageContent`). Every other message kind, the
    /// known service fields above and any the Bot API adds later, is an event, not something anyone wrote.
    public var isServiceMessage: Bool { !isPost }

    public init(messageID: Int64, from: User? = nil, chat: Chat, date: Int64, text: String? = nil,
                entities: [MessageEntity]? = nil, forwardOrigin: MessageOrigin? = nil) {
        self.messageID = messageID
        self.from = from
        self.chat = chat
        self.date = date
        self.text = text
        self.entities = entities
        self.forwardOrigin = forwardOrigin
    }
}

public struct Sticker: Sendable, Codable, Equatable {
    public var emoji: String?
}

public struct Venue: Sendable, Codable, Equatable {
    public var title: String
    public var address: String?
}

public struct Contact: Sendable, Codable, Equatable {
    public var firstName: String
    public var lastName: String?
    enum CodingKeys: String, CodingKey { case firstName = "first_name", lastName = "last_name" }
}

public struct Dice: Sendable, Codable, Equatable {
    public var emoji: String
    public var value: Int
}

/// A game, invoice or checklist: only its title is read.
public struct Titled: Sendable, Codable, Equatable {
    public var title: String?
}

/// A field whose value Gazette never reads, only that it is there (any JSON value decodes).
public struct Presence: Sendable, Codable, Equatable {
    public init() {}
    public init(from decoder: any Decoder) throws {}
    /// Encodes as `true`: the field is present.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(true)
    }
}

/// Any file attachment whose contents Gazette does not need (only that it exists).
public struct FileRef: Sendable, Codable, Equatable {
    public var fileID: String
    enum CodingKeys: String, CodingKey { case fileID = "file_id" }
}

public struct Poll: Sendable, Codable, Equatable {
    public var question: String
}

public struct CallbackQuery: Sendable, Codable, Equatable {
    public var id: String
    public var from: User
    public var message: Message?
    public var data: String?

    public init(id: String, from: User, message: Message?, data: String?) {
        self.id = id
        self.from = from
        self.message = message
        self.data = data
    }
}

public struct ChatMemberUpdated: Sendable, Codable, Equatable {
    public struct Member: Sendable, Codable, Equatable {
        public var status: String
        public var user: User
    }
    public var chat: Chat
    public var from: User
    public var newChatMember: Member
    enum CodingKeys: String, CodingKey { case chat, from, newChatMember = "new_chat_member" }
}

public struct InlineKeyboardButton: Sendable, Codable, Equatable {
    public var text: String
    public var callbackData: String?
    public var url: String?
    enum CodingKeys: String, CodingKey { case text, callbackData = "callback_data", url }
    public init(text: String, callbackData: String) {
        self.text = text
        self.callbackData = callbackData
    }
}

public struct InlineKeyboardMarkup: Sendable, Codable, Equatable {
    public var inlineKeyboard: [[InlineKeyboardButton]]
    enum CodingKeys: String, CodingKey { case inlineKeyboard = "inline_keyboard" }
    public init(_ rows: [[InlineKeyboardButton]]) { inlineKeyboard = rows }
}

/// The envelope of every Bot API answer.
struct APIResponse<Result: Decodable>: Decodable {
    struct Parameters: Decodable {
        var retryAfter: Int?
        enum CodingKeys: String, CodingKey { case retryAfter = "retry_after" }
    }
    var ok: Bool
    var result: Result?
    var errorCode: Int?
    var description: String?
    var parameters: Parameters?
    enum CodingKeys: String, CodingKey { case ok, result, errorCode = "error_code", description, parameters }
}
