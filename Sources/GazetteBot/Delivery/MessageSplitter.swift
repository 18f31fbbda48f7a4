/// Splits text into Telegram-sized messages: on paragraph boundaries first, then lines, then words, and only as
/// a last resort inside a word. Lengths are counted in UTF-16 code units, which Telegram's limit is measured in.
public enum MessageSplitter {
    public static func split(_ text: String, limit: Int = BotMessenger.messageLimit) -> [String] {
        guard text.utf16.count > limit else { return [text] }
        var parts: [String] = []
        var current = ""
        func flush() {
            let trimmed = current.trimmingSuffixNewlines()
            if !trimmed.isEmpty { parts.append(trimmed) }
            current = ""
        }
        for piece in pieces(of: text, separators: ["\n\n", "\n", " "], limit: limit) {
            if current.utf16.count + piece.utf16.count > limit { flush() }
            current += piece
        }
        flush()
        return parts
    }

    /// Breaks `text` into pieces no longer than `limit`, each keeping its trailing separator.
    private static func pieces(of text: String, separators: [String], limit: Int) -> [String] {
        guard text.utf16.count > limit else { return [text] }
        guard let separator = separators.first else { return hardCut(text, limit: limit) }
        var out: [String] = []
        let chunks = text.components(separatedBy: separator)
        for (i, chunk) in chunks.enumerated() {
            let piece = i < chunks.count - 1 ? chunk + separator : chunk
            if piece.utf16.count > limit {
                out += pieces(of: piece, separators: Array(separators.dropFirst()), limit: limit)
            } else if !piece.isEmpty {
                out.append(piece)
            }
        }
        return out
    }

    private static func hardCut(_ text: String, limit: Int) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in text {
            if current.utf16.count + ch.utf16.count > limit {
                out.append(current)
                current = ""
            }
            current.append(ch)
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}

extension String {
    func trimmingSuffixNewlines() -> String {
        var s = self
        while s.last == "\n" || s.last == " " { s.removeLast() }
        return s
    }
}
