import Foundation

/// Splits a long text into messages of at most `limit` characters (Telegram's 4096) for the text fallback.
/// Lengths are counted in UTF-16 code units, as Telegram counts them (an emoji is two).
///
/// Paragraphs (blank-line separated) are packed whole. A paragraph over the limit is split at line breaks,
/// then at spaces. A split never falls inside a URL, an HTML tag, an `<a …>…</a>` link or an `&…;` entity,
/// so links keep working and Telegram's HTML parser never sees half a tag. Only a single unbreakable run
/// longer than the limit (which no digest produces) is cut hard.
public enum TextSplitter {
    public static let telegramLimit = 4096

    public static func split(_ text: String, limit: Int = telegramLimit) -> [String] {
        let limit = max(limit, 16)
        var messages: [String] = []
        var current = ""
        func flush() {
            let trimmed = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { messages.append(trimmed) }
            current = ""
        }
        for paragraph in paragraphs(text) {
            for piece in fit(paragraph, limit: limit) {
                let joined = current.isEmpty ? piece : current + "\n\n" + piece
                if length(joined) <= limit {
                    current = joined
                } else {
                    flush()
                    current = piece
                }
            }
        }
        flush()
        return messages
    }

    private static func paragraphs(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n")
            .components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .newlines) }
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// Pieces of one paragraph, each within the limit.
    private static func fit(_ paragraph: String, limit: Int) -> [String] {
        if length(paragraph) <= limit { return [paragraph] }
        var pieces: [String] = []
        for line in paragraph.components(separatedBy: "\n") {
            if length(line) <= limit {
                if let last = pieces.last, length(last) + 1 + length(line) <= limit {
                    pieces[pieces.count - 1] = last + "\n" + line
                } else {
                    pieces.append(line)
                }
            } else {
                pieces += splitAtSpaces(line, limit: limit)
            }
        }
        return pieces
    }

    /// Splits one long line at spaces outside protected spans.
    private static func splitAtSpaces(_ line: String, limit: Int) -> [String] {
        let chars = Array(line)
        let protected = protectedMask(chars)
        var pieces: [String] = []
        var start = 0
        while true {
            var windowEnd = start
            var used = 0
            while windowEnd < chars.count, used + chars[windowEnd].utf16.count <= limit {
                used += chars[windowEnd].utf16.count
                windowEnd += 1
            }
            if windowEnd >= chars.count { break }
            var cut = -1
            var k = windowEnd
            while k > start {
                if chars[k].isWhitespace, !protected[k] { cut = k; break }
                k -= 1
            }
            if cut <= start { cut = max(windowEnd, start + 1) }  // one unbreakable run over the limit
            pieces.append(String(chars[start..<cut]).trimmingCharacters(in: .whitespaces))
            start = cut
            while start < chars.count, chars[start].isWhitespace { start += 1 }
        }
        if start < chars.count { pieces.append(String(chars[start...])) }
        return pieces.filter { !$0.isEmpty }
    }

    static func length(_ s: String) -> Int { s.utf16.count }

    /// True inside `<a …>…</a>`, any `<…>` tag, `&…;` entity, markdown `[text](url)` link or bare URL.
    static func protectedMask(_ chars: [Character]) -> [Bool] {
        var mask = [Bool](repeating: false, count: chars.count)
        func mark(_ from: Int, _ to: Int) { for k in from..<min(to, chars.count) { mask[k] = true } }
        let text = String(chars)
        let patterns = [
            #"<a\s[^>]*>.*?</a>"#,
            #"<[^<>\n]{1,200}>"#,
            #"&[#A-Za-z0-9]{1,10};"#,
            #"\[[^\]\n]*\]\([^)\s]*\)"#,
            #"(?:https?://|www\.)\S+"#,
        ]
        for pattern in patterns {
            let regex: NSRegularExpression
            do {
                regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive, .dotMatchesLineSeparators])
            } catch {
                preconditionFailure("built-in pattern \(pattern) does not compile: \(error)")
            }
            for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                guard let range = Range(match.range, in: text) else { continue }
                let from = text.distance(from: text.startIndex, to: range.lowerBound)
                mark(from, from + text.distance(from: range.lowerBound, to: range.upperBound))
            }
        }
        return mask
    }
}
