/// The plain text of a rich message (`richMessage`): the words of its blocks (`richTextPlain`, a custom emoji's
/// alternative text) in order, a line per block. Formatting, media and links of the blocks are left out.
struct RichMessageText: Decodable {
    let text: String

    enum CodingKeys: String, CodingKey { case blocks }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        text = try c.decodeIfPresent(Node.self, forKey: .blocks)?.text ?? ""
    }

    /// Any JSON value of the blocks, reduced to its text.
    private struct Node: Decodable {
        var text = ""
        var isBlock = false

        struct Key: CodingKey {
            let stringValue: String
            init(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }

        /// Fields read in this order (the rest after them, by name): a block's heading before its body, its body before
        /// its caption and credit. JSON objects have no order of their own.
        static let order = ["title", "subtitle", "kicker", "header", "subheader", "author", "text", "texts", "label",
                            "page_blocks", "blocks", "items", "cells", "caption", "credit", "footer"]

        init(from decoder: any Decoder) throws {
            if let object = try? decoder.container(keyedBy: Key.self) {
                let type = (try? object.decode(String.self, forKey: Key(stringValue: "@type"))) ?? ""
                switch TDType(rawValue: type) {
                case .richTextPlain?:
                    text = try object.decodeIfPresent(String.self, forKey: Key(stringValue: "text")) ?? ""
                    return
                case .richTextCustomEmoji?:
                    text = try object.decodeIfPresent(String.self, forKey: Key(stringValue: "alternative_text")) ?? ""
                    return
                default:
                    break
                }
                isBlock = type.hasPrefix("pageBlock")
                let keys = object.allKeys.map(\.stringValue).filter { $0 != "@type" }.sorted { a, b in
                    let (i, j) = (Self.order.firstIndex(of: a) ?? Self.order.count, Self.order.firstIndex(of: b) ?? Self.order.count)
                    return i != j ? i < j : a < b
                }
                let parts = try keys.map { try object.decode(Node.self, forKey: Key(stringValue: $0)).text }.filter { !$0.isEmpty }
                text = parts.joined(separator: isBlock ? "\n" : "")
            } else if var array = try? decoder.unkeyedContainer() {
                var parts: [Node] = []
                while !array.isAtEnd { parts.append(try array.decode(Node.self)) }
                let blocks = parts.contains { $0.isBlock }
                text = parts.map(\.text).filter { !$0.isEmpty }.joined(separator: blocks ? "\n" : "")
                isBlock = blocks
            }
            // Numbers, booleans and strings outside `richTextPlain` (URLs, names, ids) carry no text of the post.
        }
    }
}
