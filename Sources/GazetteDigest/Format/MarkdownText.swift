import Foundation

/// Makes text from posts and channel titles safe to put into markdown: it reads as the same text, never as markup.
enum MarkdownText {
    /// Inline markup anywhere in a line (`[` also stops `![image]`).
    private static let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", "~"]
    /// Block markup, only at the start of a line: headings, quotes, list items, setext underlines.
    private static let lineStart: Set<Character> = ["#", ">", "-", "+", "=", "|"]

    /// Escapes inline markup characters and folds line breaks into spaces (one paragraph stays one paragraph).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var lastWasSpace = false
        for c in text {
            if c.isNewline || c == "\t" {
                if !lastWasSpace { out.append(" ") }
                lastWasSpace = true
                continue
            }
            lastWasSpace = c == " "
            if special.contains(c) { out.append("\\") }
            out.append(c)
        }
        // A leading "1." or "-" would turn the line into a list item.
        if let first = out.first, lineStart.contains(first) { out.insert("\\", at: out.startIndex) }
        if let dot = out.firstIndex(where: { !$0.isNumber }), dot != out.startIndex, out[dot] == "." || out[dot] == ")" {
            out.insert("\\", at: dot)
        }
        return out
    }

    /// A link destination: spaces and parentheses percent-encoded so the link cannot end early.
    static func escapeURL(_ url: String) -> String {
        var out = ""
        for c in url {
            switch c {
            case " ": out += "%20"
            case "(": out += "%28"
            case ")": out += "%29"
            case "<": out += "%3C"
            case ">": out += "%3E"
            default:
                if c.isNewline { continue }
                out.append(c)
            }
        }
        return out
    }
}
