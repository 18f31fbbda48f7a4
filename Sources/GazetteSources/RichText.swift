import Foundation
import GazetteCore

/// Turns a message's HTML subtree into plain text (line breaks kept) and into a small, safe HTML subset
/// (links and inline formatting kept; scripts, handlers and styles dropped).
struct RichText {
    var text: String
    var html: String

    /// Inline tags kept as they are; every other element is replaced by its children.
    private static let keptTags: Set<String> = ["b", "strong", "i", "em", "u", "s", "del", "code", "pre", "blockquote"]
    private static let blockTags: Set<String> = ["p", "div", "blockquote", "pre", "li"]

    static func extract(_ node: MarkupNode, baseURL: URL? = nil) -> RichText {
        var text = ""
        var html = ""
        walk(node, text: &text, html: &html, baseURL: baseURL)
        let tidy = TextNormalizer.tidyLines(text)
        return RichText(text: tidy, html: html.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func walk(_ node: MarkupNode, text: inout String, html: inout String, baseURL: URL?) {
        for child in node.children {
            if child.isText {
                let raw = child.content
                // Source line breaks are formatting; only <br> breaks a line.
                let flat = raw.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
                text += flat
                html += escape(TextNormalizer.collapseKeepingEdges(flat))
                continue
            }
            guard child.isElement else { continue }
            let name = child.name.lowercased()
            switch name {
            case "br":
                text += "\n"
                html += "<br>"
            case "script", "style", "svg", "noscript", "template":
                continue
            case "a":
                let href = child.attribute("href").flatMap { resolve($0, baseURL: baseURL) }
                if let href {
                    html += "<a href=\"\(escape(href, attribute: true))\">"
                } 
                walk(child, text: &text, html: &html, baseURL: baseURL)
                if href != nil { html += "</a>" }
            case "img":
                // Custom emoji are images with the emoji as alt text.
                if let alt = child.attribute("alt"), !alt.isEmpty {
                    text += alt
                    html += escape(alt)
                }
            default:
                let kept = keptTags.contains(name)
                if kept { html += "<\(name)>" }
                walk(child, text: &text, html: &html, baseURL: baseURL)
                if kept { html += "</\(name)>" }
                if blockTags.contains(name), !kept {
                    text += "\n"
                    html += "<br>"
                }
            }
        }
    }

    /// Only web links survive; `javascript:` and other schemes are dropped. Relative links are resolved.
    static func resolve(_ href: String, baseURL: URL?) -> String? {
        let trimmed = href.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        let lower = trimmed.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return trimmed }
        if lower.hasPrefix("mailto:") || lower.hasPrefix("tg://") { return trimmed }
        if lower.hasPrefix("//") { return "https:" + trimmed }
        guard let baseURL, !lower.contains(":") || lower.hasPrefix("?") || lower.hasPrefix("/") || lower.hasPrefix("#") else {
            return nil
        }
        return URL(string: trimmed, relativeTo: baseURL)?.absoluteString
    }

    static func escape(_ s: String, attribute: Bool = false) -> String {
        HTMLEscaping.escape(s, quotes: attribute)
    }
}
