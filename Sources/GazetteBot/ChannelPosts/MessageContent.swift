import Foundation

/// What a channel message says when it has no text of its own (issue 26): a digest shows a short label
/// ("Sticker 😀", "Location", "Video message") rather than an empty story.
extension Message {
    /// Text, a caption, or content with a label below.
    public var isPost: Bool {
        text?.isEmpty == false || caption?.isEmpty == false || contentLabel != nil
    }

    /// The post's text: its text, else its caption, else what it holds.
    public var postText: String {
        if let text, !text.isEmpty { return text }
        if let caption, !caption.isEmpty { return caption }
        return contentLabel ?? ""
    }

    /// A short line naming the message's content; nil for a message without content (a service message).
    public var contentLabel: String? {
        if let poll { return poll.question }
        if let rich = richMessage { return rich.text.isEmpty ? "Rich message" : rich.text }
        if photo?.isEmpty == false { return "Photo" }
        if video != nil { return "Video" }
        if animation != nil { return "GIF" }
        if videoNote != nil { return "Video message" }
        if voice != nil { return "Voice message" }
        if audio != nil { return "Audio" }
        if let document { return document.fileName.map { "Document: \($0)" } ?? "Document" }
        if let sticker { return sticker.emoji.map { "Sticker \($0)" } ?? "Sticker" }
        if let venue { return ["Place: \(venue.title)", venue.address].compactMap { $0 }.joined(separator: ", ") }
        if location != nil { return "Location" }
        if let contact { return "Contact: " + [contact.firstName, contact.lastName].compactMap { $0 }.joined(separator: " ") }
        if let dice { return "\(dice.emoji) \(dice.value)" }
        if story != nil { return "Story" }
        if paidMedia != nil { return "Paid media" }
        if let game { return game.title.map { "Game: \($0)" } ?? "Game" }
        if let invoice { return invoice.title.map { "Invoice: \($0)" } ?? "Invoice" }
        if let checklist { return checklist.title.map { "Checklist: \($0)" } ?? "Checklist" }
        return nil
    }
}

/// The text of a Bot API rich message: every `text` string of its blocks, in order, one block a line. Blocks and
/// rich-text kinds Gazette does not know are read the same way, so a new kind loses formatting, never words.
public struct RichMessageText: Sendable, Codable, Equatable {
    public var text: String

    public init(text: String) {
        self.text = text
    }

    public init(from decoder: any Decoder) throws {
        var lines: [String] = []
        if let blocks = try? decoder.container(keyedBy: AnyKey.self).nestedUnkeyedContainer(forKey: AnyKey("blocks")) {
            var blocks = blocks
            while !blocks.isAtEnd {
                var words: [String] = []
                try Self.collect(try blocks.superDecoder(), into: &words)
                let line = words.joined()
                if !line.trimmingCharacters(in: .whitespaces).isEmpty { lines.append(line) }
            }
        }
        text = lines.joined(separator: "\n")
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        try container.encode([["type": "paragraph", "text": text]], forKey: AnyKey("blocks"))
    }

    /// Strings under `text` keys (or a string where rich text is expected), depth first.
    private static func collect(_ decoder: any Decoder, into words: inout [String], depth: Int = 0) throws {
        guard depth < 16 else { return }
        if let keyed = try? decoder.container(keyedBy: AnyKey.self) {
            for key in keyed.allKeys {
                if key.stringValue == "text", let string = try? keyed.decode(String.self, forKey: key) {
                    words.append(string)
                } else if ["text", "texts", "items", "blocks", "cells", "rows", "caption", "title"].contains(key.stringValue) {
                    try collect(try keyed.superDecoder(forKey: key), into: &words, depth: depth + 1)
                }
            }
        } else if var list = try? decoder.unkeyedContainer() {
            while !list.isAtEnd { try collect(try list.superDecoder(), into: &words, depth: depth + 1) }
        } else if let string = try? decoder.singleValueContainer().decode(String.self) {
            words.append(string)
        }
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
