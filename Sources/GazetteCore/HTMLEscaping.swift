/// Escaping of text placed into HTML: Telegram's HTML parse mode, post HTML kept by the sources, digests.
public enum HTMLEscaping {
    /// Escapes `&`, `<`, `>`, and `"` when `quotes` is true (needed inside attribute values).
    public static func escape(_ text: String, quotes: Bool = true) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}
