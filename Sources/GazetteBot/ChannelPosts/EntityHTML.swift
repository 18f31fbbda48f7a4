/// Renders Bot API text + entities as HTML (links, bold, italic…), escaping everything else.
///
/// Entity offsets and lengths are UTF-16 code units (a 📈 before an entity counts 2), so the text is walked as
/// UTF-16 and cut only at the entity boundaries. Out-of-range or overlapping-but-not-nested entities are dropped
/// rather than producing broken markup.
public enum EntityHTML {
    public static func render(_ text: String, entities: [MessageEntity]) -> String {
        let units = Array(text.utf16)
        struct Span { var start: Int; var end: Int; var open: String; var close: String }
        var spans: [Span] = []
        for e in entities {
            let start = e.offset, end = e.offset + e.length
            guard e.length > 0, start >= 0, end <= units.count else { continue }
            let tags: (String, String)?
            switch e.type {
            case "bold": tags = ("<b>", "</b>")
            case "italic": tags = ("<i>", "</i>")
            case "underline": tags = ("<u>", "</u>")
            case "strikethrough": tags = ("<s>", "</s>")
            case "code": tags = ("<code>", "</code>")
            case "pre": tags = ("<pre>", "</pre>")
            case "blockquote", "expandable_blockquote": tags = ("<blockquote>", "</blockquote>")
            case "text_link":
                tags = e.url.flatMap(safeURL).map { ("<a href=\"\(HTML.escape($0))\">", "</a>") }
            case "url":
                let raw = String(decoding: units[start..<end], as: UTF16.self)
                let target = raw.lowercased().hasPrefix("http") ? raw : "https://" + raw
                tags = safeURL(target).map { ("<a href=\"\(HTML.escape($0))\">", "</a>") }
            default: tags = nil
            }
            guard let (open, close) = tags else { continue }
            spans.append(Span(start: start, end: end, open: open, close: close))
        }
        // Outer spans first; drop any span that crosses one already accepted (HTML needs proper nesting).
        spans.sort { $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end }
        var accepted: [Span] = []
        for s in spans where !accepted.contains(where: { s.start < $0.end && $0.start < s.end && !(s.start >= $0.start && s.end <= $0.end) }) {
            accepted.append(s)
        }
        var boundaries = Set([0, units.count])
        for s in accepted { boundaries.insert(s.start); boundaries.insert(s.end) }
        let cuts = boundaries.sorted()
        var out = ""
        var open: [Span] = []
        for (i, position) in cuts.enumerated() {
            while let last = open.last, last.end == position {
                out += last.close
                open.removeLast()
            }
            for s in accepted where s.start == position {
                out += s.open
                open.append(s)
            }
            if i + 1 < cuts.count {
                out += HTML.escape(String(decoding: units[position..<cuts[i + 1]], as: UTF16.self))
            }
        }
        for s in open.reversed() { out += s.close }
        return out
    }

    /// Only http(s) links are kept.
    static func safeURL(_ url: String) -> String? {
        let lower = url.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://") ? url : nil
    }
}
