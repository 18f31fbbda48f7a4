import CCmarkGFM
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Registers cmark-gfm's extensions exactly once per process (the C flag is not thread-safe; Swift initializes
/// globals once, under a lock).
private let cmarkExtensionsRegistered: Bool = {
    cmark_gfm_core_extensions_ensure_registered()
    return true
}()

/// A digest's markdown as an HTML fragment, by cmark-gfm's own HTML renderer: the web page, the Atom entry and the
/// e-mail body all show the digest through this one function.
///
/// Safe by construction: raw HTML in the markdown is never passed through (`CMARK_OPT_UNSAFE` stays off, so cmark
/// omits raw HTML and drops `javascript:`-like link targets; the `tagfilter` extension is on as well), every text and
/// attribute is escaped by cmark, and links get `rel="noopener noreferrer"`. The digest's markdown already escapes
/// what comes from posts (`MarkdownText`), so a post can never become markup here either.
public enum DigestHTML {
    /// Where a picture is shown from: given the picture's original URL, the URL to put into `src` (for example the
    /// web reader's `/u/<token>/img/<key>`, so the reader's browser never contacts the CDN), or nil to show the
    /// picture's alt text instead.
    public typealias ImageSource = (String) -> String?

    static let extensions = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    /// The fragment for `markdown`. `image` decides every picture's `src`; without it pictures become their alt text
    /// (nothing in the fragment then makes a reader's client load anything).
    public static func fragment(markdown: String, image: ImageSource? = nil) throws(WebError) -> String {
        precondition(cmarkExtensionsRegistered)
        let options = CMARK_OPT_VALIDATE_UTF8
        guard let parser = cmark_parser_new(options) else { throw .rendering("could not create the markdown parser") }
        defer { cmark_parser_free(parser) }
        for name in extensions {
            guard let ext = cmark_find_syntax_extension(name) else { throw .rendering("cmark-gfm extension '\(name)' is missing") }
            cmark_parser_attach_syntax_extension(parser, ext)
        }
        var bytes = Array(chartsAsTables(markdown).utf8)
        if !bytes.isEmpty {
            bytes.withUnsafeMutableBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { cmark_parser_feed(parser, $0, buffer.count) }
            }
        }
        guard let root = cmark_parser_finish(parser) else { throw .rendering("the markdown parser returned no document") }
        defer { cmark_node_free(root) }
        rewriteImages(root, image: image)
        guard let rendered = cmark_render_html(root, options, cmark_parser_get_syntax_extensions(parser)) else {
            throw .rendering("cmark-gfm returned no HTML")
        }
        defer { free(rendered) }
        return decorate(String(cString: rendered))
    }

    /// The digest's overview chart (a ```` ```gazette-chart ```` block that the PDF renderer draws) as a GFM table: a
    /// bold title, then one row per channel with its posts and views. Every cell's ASCII punctuation is
    /// backslash-escaped, so a channel title stays text. Other code blocks are left alone.
    static func chartsAsTables(_ markdown: String) -> String {
        guard markdown.contains("```gazette-chart") else { return markdown }
        var out: [Substring] = []
        var chart: [Substring]?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if chart == nil, line == "```gazette-chart" {
                chart = []
            } else if let rows = chart, line == "```" {
                out.append(contentsOf: table(rows).map { Substring($0) })
                chart = nil
            } else if chart != nil {
                chart?.append(line)
            } else {
                out.append(line)
            }
        }
        if let rows = chart { out.append("```gazette-chart"); out.append(contentsOf: rows) }  // unclosed: as it was
        return out.joined(separator: "\n")
    }

    private static func table(_ lines: [Substring]) -> [String] {
        var title: String?
        var rows: [[String]] = []
        for line in lines where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            if line.hasPrefix("title:") {
                title = line.dropFirst(6).trimmingCharacters(in: .whitespaces)
            } else {
                rows.append(line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) })
            }
        }
        guard let header = rows.first, !header.isEmpty else { return [] }
        var out: [String] = []
        if let title, !title.isEmpty { out += ["**\(escapeCell(title))**", ""] }
        out.append("| " + header.map(escapeCell).joined(separator: " | ") + " |")
        out.append("|" + header.indices.map { $0 == 0 ? " --- " : " ---: " }.joined(separator: "|") + "|")
        for row in rows.dropFirst() {
            let cells = header.indices.map { i in i < row.count ? row[i] : "" }
            out.append("| " + cells.enumerated().map { i, cell in i == 0 ? escapeCell(cell) : grouped(cell) }.joined(separator: " | ") + " |")
        }
        return out
    }

    /// Any ASCII punctuation escaped (CommonMark allows a backslash before each), so a cell is plain text.
    static func escapeCell(_ text: String) -> String {
        var out = ""
        for c in text {
            if let ascii = c.asciiValue, (0x21...0x2F).contains(ascii) || (0x3A...0x40).contains(ascii)
                || (0x5B...0x60).contains(ascii) || (0x7B...0x7E).contains(ascii) {
                out.append("\\")
            }
            out.append(c)
        }
        return out
    }

    /// `337600` → `337 600` (thin groups read at a glance); anything else is escaped as text.
    static func grouped(_ cell: String) -> String {
        guard let n = Int(cell), n >= 0 else { return escapeCell(cell) }
        var digits = Array(String(n))
        var out = ""
        while digits.count > 3 {
            out = "\u{202F}" + String(digits.suffix(3)) + out
            digits.removeLast(3)
        }
        return String(digits) + out
    }

    /// Every `<a` and `<img` in cmark's output is an element cmark made (text is escaped, so a literal `<a` in a post
    /// reads `&lt;a`): links open without handing the page to the target, pictures load lazily.
    static func decorate(_ html: String) -> String {
        html.replacingOccurrences(of: "<a href=\"", with: "<a rel=\"noopener noreferrer\" href=\"")
            .replacingOccurrences(of: "<img src=\"", with: "<img loading=\"lazy\" src=\"")
    }

    /// Gives every image node the `src` that `image` chooses, or replaces it with its alt text. Nodes are collected
    /// first and changed after the walk: cmark's iterator must not see the tree change under it.
    private static func rewriteImages(_ root: OpaquePointer, image: ImageSource?) {
        var images: [OpaquePointer] = []
        guard let iterator = cmark_iter_new(root) else { return }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            if cmark_node_get_type(node) == CMARK_NODE_IMAGE { images.append(node) }
        }
        cmark_iter_free(iterator)
        for node in images {
            let original = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            if let source = image?(original) {
                _ = source.withCString { cmark_node_set_url(node, $0) }
                continue
            }
            let alt = altText(node)
            if let text = cmark_node_new(CMARK_NODE_TEXT) {
                _ = "[\(alt.isEmpty ? "picture" : alt)]".withCString { cmark_node_set_literal(text, $0) }
                _ = cmark_node_insert_before(node, text)
            }
            cmark_node_unlink(node)
            cmark_node_free(node)
        }
    }

    /// The plain text of an image's description (its child inlines).
    private static func altText(_ node: OpaquePointer) -> String {
        var out = ""
        guard let iterator = cmark_iter_new(node) else { return out }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let child = cmark_iter_get_node(iterator), child != node else { continue }
            let type = cmark_node_get_type(child)
            if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE, let literal = cmark_node_get_literal(child) {
                out += String(cString: literal)
            } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
                out += " "
            }
        }
        return out.trimmingCharacters(in: .whitespaces)
    }
}

/// What goes wrong in the web reader; each case says what, never a token.
public enum WebError: Error, Sendable, Equatable, CustomStringConvertible {
    case rendering(String)
    case template(String)

    public var description: String {
        switch self {
        case .rendering(let reason): "the digest could not be made into HTML: \(reason)"
        case .template(let reason): "a web template failed: \(reason)"
        }
    }
}
