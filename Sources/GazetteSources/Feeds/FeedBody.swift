import Foundation
import GazetteCore

/// Bodies and titles of feed items: which element holds the text, and how its markup is read.
enum FeedBody {
    /// A body element and how its content is written.
    enum Candidate {
        /// HTML as text content (RSS `description`, `content:encoded`, `itunes:summary` read as HTML).
        case html(MarkupNode)
        /// Plain text, escaped to HTML.
        case plain(MarkupNode)
        /// An Atom text construct (`type` says text, html or xhtml; Atom 0.3's `mode` too).
        case atom(MarkupNode)
        /// Inline XHTML (`xhtml:body`).
        case xhtml(MarkupNode)
        /// Media RSS `media:description` (`type="plain"` by default, or `html`).
        case media(MarkupNode)
    }

    /// The first candidate whose body is not blank, with the base URL its relative links resolve against.
    /// An empty `<content:encoded/>` beside a full `<description>` is skipped, not taken as "no body".
    static func first(_ candidates: [Candidate]) -> (html: String, baseURL: String?)? {
        for candidate in candidates {
            let (node, html) = read(candidate)
            if let html, !isBlank(html) { return (html, node.baseURL) }
        }
        return nil
    }

    private static func read(_ candidate: Candidate) -> (MarkupNode, String?) {
        switch candidate {
        case .html(let node): (node, node.content.trimmingCharacters(in: .whitespacesAndNewlines))
        case .plain(let node): (node, RichText.escape(node.content.trimmingCharacters(in: .whitespacesAndNewlines)))
        case .atom(let node): (node, atomHTML(node))
        case .xhtml(let node): (node, node.innerXML.trimmingCharacters(in: .whitespacesAndNewlines))
        case .media(let node):
            (node, node.attribute("type") == "html" ? node.content.trimmingCharacters(in: .whitespacesAndNewlines)
                : RichText.escape(node.content.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
    }

    /// Atom text constructs: `text` is escaped to HTML, `html` is taken as is, `xhtml` is the inner markup of its
    /// div. Atom 0.3 wrote the MIME type (`text/html`) and `mode` (`escaped`, `xml`); content with `src` is elsewhere.
    static func atomHTML(_ node: MarkupNode) -> String? {
        guard node.attribute("src") == nil else { return nil }
        let type = (node.attribute("type") ?? "text").lowercased()
        let mode = node.attribute("mode")?.lowercased()
        if type == "xhtml" || type == "application/xhtml+xml" || mode == "xml" {
            let container = node.elements("div").first ?? node
            return container.innerXML.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if type == "html" || type == "text/html" || mode == "escaped" {
            return node.content.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return RichText.escape(node.content.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// True when the HTML has no text and no picture: tags, whitespace and no-break spaces only.
    static func isBlank(_ html: String) -> Bool {
        var inTag = false
        var rest = Substring(html)
        if html.range(of: "<img", options: .caseInsensitive) != nil { return false }
        while let ch = rest.first {
            rest = rest.dropFirst()
            if inTag {
                if ch == ">" { inTag = false }
            } else if ch == "<" {
                inTag = true
            } else if ch == "&" {
                for space in ["nbsp;", "#160;", "#xa0;"] where rest.lowercased().hasPrefix(space) {
                    rest = rest.dropFirst(space.count)
                    break
                }
            } else if !ch.isWhitespace {
                return false
            }
        }
        return true
    }

    /// A title as a reader sees it: markup removed and entities decoded (`<span class='webrupee'>₹</span>4,000`
    /// is `₹4,000`). An Atom title is HTML when its `type` says so; an RSS title is read as HTML when it has a tag or
    /// an entity, as feed readers do.
    static func title(_ node: MarkupNode?, atom: Bool) -> String? {
        guard let node else { return nil }
        if atom {
            let type = (node.attribute("type") ?? "text").lowercased()
            if (type == "text" || type == "text/plain") && node.attribute("mode") == nil {
                return TextNormalizer.collapse(node.content).nonEmpty
            }
            return atomHTML(node).flatMap(plainText(html:))
        }
        let raw = node.content
        guard raw.contains("<") || raw.contains("&") else { return TextNormalizer.collapse(raw).nonEmpty }
        return plainText(html: raw)
    }

    /// The text of an HTML fragment, whitespace collapsed.
    static func plainText(html: String) -> String? {
        guard let doc = MarkupDocument(html: Data(("<p>" + html + "</p>").utf8)), let root = doc.root else {
            return TextNormalizer.collapse(html).nonEmpty
        }
        return TextNormalizer.collapse(root.content).nonEmpty
    }
}
