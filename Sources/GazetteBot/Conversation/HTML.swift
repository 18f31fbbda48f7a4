import GazetteCore

/// Escaping for Telegram's HTML parse mode: every piece of user or channel text goes through `escape`.
public enum HTML {
    public static func escape(_ text: String) -> String {
        HTMLEscaping.escape(text)
    }

    public static func bold(_ text: String) -> String { "<b>\(escape(text))</b>" }
    public static func code(_ text: String) -> String { "<code>\(escape(text))</code>" }
    public static func link(_ text: String, _ url: String) -> String { "<a href=\"\(escape(url))\">\(escape(text))</a>" }
}
