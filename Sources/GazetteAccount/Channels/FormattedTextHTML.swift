import GazetteCore

/// TDLib's formatted text as the post HTML the other sources keep: links, emphasis, code and quotes as tags, the
/// rest escaped, line breaks as `<br>`. Entities count UTF-16 code units; overlapping ones are clipped to nest.
public enum FormattedTextHTML {
    struct Tag {
        let start: Int
        var end: Int
        let open: String
        let close: String
    }

    public static func html(_ formatted: TDFormattedText) -> String {
        let units = Array(formatted.text.utf16)
        var tags: [Tag] = formatted.entities.compactMap { entity in
            let start = entity.offset, end = entity.offset + entity.length
            guard entity.length > 0, start >= 0, end <= units.count else { return nil }
            return tag(entity, text: String(decoding: units[start..<end], as: UTF16.self), start: start, end: end)
        }
        tags.sort { $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end }

        var out = ""
        out.reserveCapacity(units.count + units.count / 4)
        var stack: [Tag] = []
        var next = 0
        var position = 0
        while true {
            while let top = stack.last, top.end <= position {
                out += top.close
                stack.removeLast()
            }
            while next < tags.count, tags[next].start <= position {
                var tag = tags[next]
                next += 1
                tag.end = min(tag.end, stack.last?.end ?? tag.end)
                guard tag.end > position else { continue }
                out += tag.open
                stack.append(tag)
            }
            guard position < units.count else { break }
            var until = units.count
            if next < tags.count { until = min(until, tags[next].start) }
            if let top = stack.last { until = min(until, top.end) }
            appendEscaped(units[position..<until], to: &out)
            position = until
        }
        while let top = stack.popLast() { out += top.close }
        return out
    }

    private static func appendEscaped(_ units: ArraySlice<UInt16>, to out: inout String) {
        let text = String(decoding: units, as: UTF16.self)
        out += HTMLEscaping.escape(text, quotes: false).replacingOccurrences(of: "\n", with: "<br>")
    }

    private static func tag(_ entity: TDFormattedText.Entity, text: String, start: Int, end: Int) -> Tag? {
        func simple(_ name: String) -> Tag { Tag(start: start, end: end, open: "<\(name)>", close: "</\(name)>") }
        func link(_ href: String) -> Tag {
            Tag(start: start, end: end, open: "<a href=\"\(HTMLEscaping.escape(href))\">", close: "</a>")
        }
        switch TDType(rawValue: entity.type) {
        case .textEntityTypeBold?: return simple("b")
        case .textEntityTypeItalic?: return simple("i")
        case .textEntityTypeUnderline?: return simple("u")
        case .textEntityTypeStrikethrough?: return simple("s")
        case .textEntityTypeCode?: return simple("code")
        case .textEntityTypePre?: return simple("pre")
        case .textEntityTypePreCode?:
            let language = entity.language.map { " class=\"language-\(HTMLEscaping.escape($0))\"" } ?? ""
            return Tag(start: start, end: end, open: "<pre><code\(language)>", close: "</code></pre>")
        case .textEntityTypeBlockQuote?, .textEntityTypeExpandableBlockQuote?: return simple("blockquote")
        case .textEntityTypeSpoiler?: return Tag(start: start, end: end, open: "<span class=\"tg-spoiler\">", close: "</span>")
        case .textEntityTypeTextUrl?:
            guard let url = entity.url, safe(url) else { return nil }
            return link(url)
        case .textEntityTypeUrl?:
            let url = text.contains("://") ? text : "https://" + text
            return safe(url) ? link(url) : nil
        case .textEntityTypeEmailAddress?: return link("mailto:" + text)
        case .textEntityTypeMention?:
            let name = text.hasPrefix("@") ? String(text.dropFirst()) : text
            return link("https://t.me/" + name)
        default: return nil
        }
    }

    /// Only web and Telegram links become anchors (never `javascript:` and the like).
    private static func safe(_ url: String) -> Bool {
        let lower = url.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("tg://") || lower.hasPrefix("mailto:")
    }
}
