import CCmarkGFM
import Foundation
import GazetteMarkdown

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

    static let extensions: [MarkdownExtension] = [.table, .strikethrough, .autolink, .tagfilter, .tasklist]

    /// The fragment for `markdown`. `image` decides every picture's `src`; without it pictures become their alt text
    /// (nothing in the fragment then makes a reader's client load anything).
    public static func fragment(markdown: String, image: ImageSource? = nil) throws(WebError) -> String {
        let document: MarkdownDocument
        do {
            document = try MarkdownDocument(parsing: markdown, extensions: extensions)
        } catch {
            throw .rendering(error.description)
        }
        try chartsAsTables(document)
        rewriteImages(document, image: image)
        guard let rendered = document.html(options: CMARK_OPT_VALIDATE_UTF8) else { throw .rendering("cmark-gfm returned no HTML") }
        return decorate(rendered)
    }

    /// Every overview chart (the block the PDF draws as bars; `ChartBlock` decides what is one) becomes a GFM table:
    /// a bold title, then one row per channel with its posts and views. A malformed chart stays a code block, as in
    /// the PDF.
    static func chartsAsTables(_ document: MarkdownDocument) throws(WebError) {
        let codeBlocks = document.nodes(where: { cmark_node_get_type($0) == CMARK_NODE_CODE_BLOCK })
        for (node, chart) in codeBlocks.compactMap({ node in ChartBlock(node: node).map { (node, $0) } }) {
            do {
                document.replace(node, withBlocksOf: try MarkdownDocument(parsing: table(chart), extensions: [.table]))
            } catch {
                throw .rendering(error.description)
            }
        }
    }

    /// The chart as markdown: every cell's ASCII punctuation is backslash-escaped, so a channel title stays text.
    static func table(_ chart: ChartBlock) -> String {
        var out: [String] = []
        if let title = chart.title { out += ["**\(escapeCell(title))**", ""] }
        let legend = [chart.legend.channel, chart.legend.posts, chart.legend.views]
        out.append("| " + legend.map(escapeCell).joined(separator: " | ") + " |")
        out.append("| --- | ---: | ---: |")
        for row in chart.rows {
            out.append("| \(escapeCell(row.label)) | \(grouped(row.posts)) | \(grouped(row.views)) |")
        }
        return out.joined(separator: "\n")
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

    /// `337600` → `337 600` (thin groups read at a glance).
    static func grouped(_ number: Int) -> String {
        var digits = Array(String(number))
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
    private static func rewriteImages(_ document: MarkdownDocument, image: ImageSource?) {
        for node in document.nodes(where: { cmark_node_get_type($0) == CMARK_NODE_IMAGE }) {
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
        MarkdownDocument.walk(node) { child, entering in
            guard entering, child != node else { return }
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
