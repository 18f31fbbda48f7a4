import Foundation
import GazetteCore

/// The parts of a message's content Gazette keeps: its kind, its text or caption, a link preview's title.
public struct TDMessageContent: Sendable, Equatable, Decodable {
    public let type: String
    /// `messageText.text`, a media caption, a poll's question, a one-emoji post's emoji, a checklist's title and tasks,
    /// or a rich message's plain text.
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
        case type = "@type", text, caption, linkPreview = "link_preview", poll, media, photo, emoji, list, message
    }
    private struct Photo: Decodable { let sizes: [TDPhotoSize]? }
    private struct Titled: Decodable { let title: String? }
    private struct Poll: Decodable { let question: TDFormattedText? }
    private struct Ignored: Decodable {}
    /// `checklist`: a title and tasks, each done (a completion date) or not.
    private struct Checklist: Decodable {
        struct Task: Decodable {
            let text: TDFormattedText
            let completionDate: Int64?
            enum CodingKeys: String, CodingKey { case text, completionDate = "completion_date" }
        }
        let title: TDFormattedText
        let tasks: [Task]

        /// The title, then a line per task: `☑` done, `☐` open. Entities stay on their words.
        var formatted: TDFormattedText {
            tasks.reduce(title) { text, task in
                text.appending(task.text, after: ((task.completionDate ?? 0) > 0 ? "☑ " : "☐ "), separator: "\n")
            }
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(String.self, forKey: .type)
        let known = TDType(rawValue: type)
        switch known {
        case .messageText?: text = try c.decodeIfPresent(TDFormattedText.self, forKey: .text)
        case .messagePoll?: text = try c.decodeIfPresent(Poll.self, forKey: .poll)?.question
        case .messageAnimatedEmoji?: text = try c.decodeIfPresent(String.self, forKey: .emoji).map { TDFormattedText(text: $0) }
        case .messageChecklist?: text = try c.decodeIfPresent(Checklist.self, forKey: .list)?.formatted
        case .messageRichMessage?: text = try c.decodeIfPresent(RichMessageText.self, forKey: .message).map { TDFormattedText(text: $0.text) }
        default: text = try c.decodeIfPresent(TDFormattedText.self, forKey: .caption)
        }
        linkPreviewTitle = try c.decodeIfPresent(Titled.self, forKey: .linkPreview)?.title
        itemCount = known == .messagePaidMedia ? max(1, try c.decodeIfPresent([Ignored].self, forKey: .media)?.count ?? 1) : 1
        photoSizes = known == .messagePhoto ? (try? c.decodeIfPresent(Photo.self, forKey: .photo)?.sizes) ?? [] : []
    }

    /// The picture a digest would show: the largest size whose longer side is at most `maxSide` pixels (the smallest
    /// when every size is larger), by its remote file id: the size the process owning the account downloads when a
    /// digest shows the picture (docs/SOURCES.md, "Pictures through the account").
    public func photoReference(maxSide: Int = 1280) -> ImageRef? {
        let usable = photoSizes.filter { !$0.remoteID.isEmpty }
        let fitting = usable.filter { max($0.width, $0.height) <= maxSide }
        guard let size = fitting.max(by: { $0.width * $0.height < $1.width * $1.height })
                ?? usable.min(by: { $0.width * $0.height < $1.width * $1.height }) else { return nil }
        return ImageRef(kind: .photo, remoteFileID: size.remoteID, width: size.width, height: size.height)
    }

    /// The media kind stored in `Post.media` (the names the other sources use), nil for text (also a one-emoji post
    /// and a rich message); `isPost` is false for service messages (a pin, a new title or photo, a video chat…), which
    /// are never stored.
    public var mediaKind: String? { TDType(rawValue: type).flatMap { Self.mediaKinds[$0] } ?? nil }
    public var isPost: Bool { TDType(rawValue: type).map { Self.mediaKinds[$0] != nil } ?? false }

    static let mediaKinds: [TDType: String?] = [
        .messageText: nil, .messagePhoto: "photo", .messageVideo: "video", .messageAnimation: "animation",
        .messageDocument: "document", .messageAudio: "audio", .messageVoiceNote: "voice", .messageVideoNote: "video_note",
        .messageSticker: "sticker", .messagePoll: "poll", .messageLocation: "location", .messageVenue: "location",
        .messageContact: "contact", .messagePaidMedia: "paid_media", .messageStory: "story", .messageDice: "dice",
        .messageGame: "game", .messageInvoice: "invoice", .messageGiveaway: "giveaway",
        .messageAnimatedEmoji: nil, .messageChecklist: "checklist", .messageLiveLocation: "location", .messageRichMessage: nil,
        .messageStakeDice: "dice",
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
