#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import CCmarkGFM
import GazetteMarkdown

/// Parses CommonMark + GFM with cmark-gfm and flattens the tree into `FlowBlock`s.
/// The walk uses cmark's iterator (enter/exit events), so nesting depth never grows the stack.
enum MarkdownReader {
    static let extensions: [MarkdownExtension] = [.table, .strikethrough, .autolink, .tasklist]

    /// With a `resolver`, an image in a paragraph becomes a block of its own (or, when it cannot be shown, its alt text
    /// in italics); without one, it stays the link `[image: alt]`.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, images resolver: ImageResolver? = nil) throws(PDFError) -> [FlowBlock] {
        let document: MarkdownDocument
        do {
            document = try MarkdownDocument(parsing: bytes, extensions: extensions)
        } catch {
            throw .renderFailed(error.description)
        }
        var walker = TreeWalker(resolver: resolver)
        document.walk { node, entering in walker.handle(node, entering: entering) }
        return walker.blocks
    }
}

/// State of one walk over the cmark tree.
private struct TreeWalker {
    struct ListState {
        var ordered: Bool
        var next: Int
        var parenDelimiter: Bool
        var tight: Bool
    }

    private(set) var blocks: [FlowBlock] = []
    private var quoteDepth = 0
    private var lists: [ListState] = []
    private var pendingMarker: String?
    private var text: StyledText?
    private var bold = 0, italic = 0, strike = 0
    private var linkStack: [String?] = []
    private var table: TableModel?
    private var row: [StyledText]?
    private var rowIsHeader = false
    private let resolver: ImageResolver?
    private var inHeading = false
    /// Depth of images being read as pictures (alt text collected instead of shown); 0 outside one.
    private var imageDepth = 0
    private var altText: [UInt8] = []
    private var imageLink: String?
    /// The current paragraph was split by a picture: what follows it starts a fresh text.
    private var splitByImage = false

    init(resolver: ImageResolver?) {
        self.resolver = resolver
    }

    mutating func handle(_ node: OpaquePointer, entering: Bool) {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_DOCUMENT: break
        case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING:
            if row != nil { break }  // (cmark never nests these in cells; be safe anyway)
            let isHeading = cmark_node_get_type(node) == CMARK_NODE_HEADING
            if entering {
                text = StyledText()
                inHeading = isHeading
                splitByImage = false
            } else if var finished = text {
                finished.trimTrailingWhitespace()
                let level = Int(cmark_node_get_heading_level(node))
                if splitByImage { finished.trimLeadingWhitespace() }
                if !(splitByImage && finished.isEmpty) {
                    emit(isHeading ? .heading(level: max(1, min(level, 6)), finished) : .paragraph(finished))
                }
                text = nil
                inHeading = false
                splitByImage = false
            }
        case CMARK_NODE_BLOCK_QUOTE:
            quoteDepth += entering ? 1 : -1
        case CMARK_NODE_LIST:
            if entering {
                lists.append(ListState(
                    ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                    next: Int(cmark_node_get_list_start(node)),
                    parenDelimiter: cmark_node_get_list_delim(node) == CMARK_PAREN_DELIM,
                    tight: cmark_node_get_list_tight(node) != 0))
            } else if !lists.isEmpty {
                lists.removeLast()
            }
        case CMARK_NODE_ITEM:
            if entering {
                pendingMarker = marker(for: node)
            } else if pendingMarker != nil {
                emit(.paragraph(StyledText()))
            }
        case CMARK_NODE_CODE_BLOCK:
            if let chart = ChartBlock(node: node) {
                emit(.chart(chart))
            } else {
                var literal = literalString(node)
                if literal.hasSuffix("\n") { literal.removeLast() }
                emit(.code(literal))
            }
        case CMARK_NODE_HTML_BLOCK:
            var literal = literalString(node)
            if literal.hasSuffix("\n") { literal.removeLast() }
            emit(.code(literal))
        case CMARK_NODE_THEMATIC_BREAK:
            emit(.rule)
        case CMARK_NODE_TEXT, CMARK_NODE_HTML_INLINE:
            appendLiteral(node)
        case CMARK_NODE_CODE:
            appendLiteral(node, extra: .code)
        case CMARK_NODE_SOFTBREAK:
            appendText(" ")
        case CMARK_NODE_LINEBREAK:
            appendText("\n")
        case CMARK_NODE_EMPH:
            italic += entering ? 1 : -1
        case CMARK_NODE_STRONG:
            bold += entering ? 1 : -1
        case CMARK_NODE_LINK:
            if entering { linkStack.append(Self.safeURL(node)) } else if !linkStack.isEmpty { linkStack.removeLast() }
        case CMARK_NODE_IMAGE:
            if imageDepth > 0 || (entering && resolver != nil && text != nil && row == nil && !inHeading) {
                // A picture: its children are the alt text (nested images included, as text).
                if entering {
                    imageDepth += 1
                    if imageDepth == 1 {
                        altText = []
                        imageLink = linkStack.last ?? nil
                    }
                } else {
                    imageDepth -= 1
                    if imageDepth == 0 { finishImage(node) }
                }
            } else if entering {
                // No provider (or a heading or table cell): the image becomes a link to its address.
                linkStack.append(Self.safeURL(node))
                appendText("[image: ")
            } else {
                appendText("]")
                if !linkStack.isEmpty { linkStack.removeLast() }
            }
        default:
            handleExtension(node, entering: entering)
        }
    }

    private mutating func handleExtension(_ node: OpaquePointer, entering: Bool) {
        let kind = String(cString: cmark_node_get_type_string(node))
        switch kind {
        case "strikethrough":
            strike += entering ? 1 : -1
        case "table":
            if entering {
                let columns = Int(cmark_gfm_extensions_get_table_columns(node))
                var alignments = [TableAlignment](repeating: .left, count: columns)
                if let raw = cmark_gfm_extensions_get_table_alignments(node) {
                    for index in 0..<columns {
                        switch raw[index] {
                        case UInt8(ascii: "r"): alignments[index] = .right
                        case UInt8(ascii: "c"): alignments[index] = .center
                        default: break
                        }
                    }
                }
                table = TableModel(alignments: alignments, rows: [], headerRowCount: 0)
            } else if let finished = table {
                table = nil
                emit(.table(finished))
            }
        case "table_row", "table_header":
            if entering {
                row = []
                rowIsHeader = cmark_gfm_extensions_get_table_row_is_header(node) != 0
            } else if let finished = row {
                table?.rows.append(finished)
                if rowIsHeader { table?.headerRowCount += 1 }
                row = nil
            }
        case "table_cell":
            if entering {
                text = StyledText()
            } else {
                var cell = text ?? StyledText()
                cell.trimTrailingWhitespace()
                if rowIsHeader { cell.addStyleEverywhere(.bold) }
                row?.append(cell)
                text = nil
            }
        default:
            // Unknown extension nodes: their text children still arrive as TEXT events.
            break
        }
    }

    /// The picture shown as a block of its own (the paragraph around it is split), or its alt text in italics,
    /// linked to its address when that is safe to follow.
    private mutating func finishImage(_ node: OpaquePointer) {
        let destination = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
        var alt = String(decoding: altText, as: UTF8.self).trimmingSpaces()
        if let resolver, let image = resolver.resolve(destination) {
            if var before = text {
                before.trimTrailingWhitespace()
                if splitByImage { before.trimLeadingWhitespace() }
                if !before.isEmpty { emit(.paragraph(before)) }
            }
            emit(.image(ImageBlock(image: image, destination: destination, alt: alt, link: imageLink)))
            text = StyledText()
            splitByImage = true
        } else {
            if alt.isEmpty { alt = "[image]" }
            linkStack.append(Self.safeURL(node))
            appendText(alt, extra: .italic)
            linkStack.removeLast()
        }
    }

    private mutating func marker(for item: OpaquePointer) -> String {
        if String(cString: cmark_node_get_type_string(item)) == "tasklist" {
            return cmark_gfm_extensions_get_tasklist_item_checked(item) ? "☑" : "☐"
        }
        guard let list = lists.last else { return "•" }
        if list.ordered {
            let number = list.next
            lists[lists.count - 1].next += 1
            return "\(number)\(list.parenDelimiter ? ")" : ".")"
        }
        let bullets = ["•", "◦", "▪"]
        return bullets[(lists.count - 1) % bullets.count]
    }

    private mutating func emit(_ kind: FlowBlock.Kind) {
        blocks.append(FlowBlock(kind: kind, quoteDepth: quoteDepth, listDepth: lists.count,
                                marker: pendingMarker, tight: lists.last?.tight ?? false))
        pendingMarker = nil
    }

    private var currentStyle: InlineStyle {
        var style: InlineStyle = []
        if bold > 0 { style.insert(.bold) }
        if italic > 0 { style.insert(.italic) }
        if strike > 0 { style.insert(.strike) }
        if let link = linkStack.last, link != nil { style.insert(.link) }
        return style
    }

    private mutating func appendText(_ string: String, extra: InlineStyle = []) {
        if imageDepth > 0 { altText.append(contentsOf: string.utf8); return }
        guard text != nil else { return }
        let style = currentStyle.union(extra)
        let link = linkStack.last ?? nil
        text?.append(string, style: style, link: link)
    }

    private mutating func appendLiteral(_ node: OpaquePointer, extra: InlineStyle = []) {
        guard text != nil, let literal = cmark_node_get_literal(node) else { return }
        let length = strlen(literal)
        if imageDepth > 0 {
            if altText.count < 4096 { altText.append(contentsOf: UnsafeRawBufferPointer(start: literal, count: length)) }
            return
        }
        let style = currentStyle.union(extra)
        let link = linkStack.last ?? nil
        text?.append(utf8: UnsafeRawBufferPointer(start: literal, count: length), style: style, link: link)
    }

    private func literalString(_ node: OpaquePointer) -> String {
        guard let literal = cmark_node_get_literal(node) else { return "" }
        return String(cString: literal)
    }

    /// Only schemes a reader can follow safely become clickable; everything else stays plain text.
    static func safeURL(_ node: OpaquePointer) -> String? {
        guard let raw = cmark_node_get_url(node) else { return nil }
        let url = String(cString: raw)
        guard !url.isEmpty, url.utf8.count <= 4096, let colon = url.firstIndex(of: ":") else { return nil }
        let scheme = url[..<colon].lowercased()
        return ["http", "https", "mailto", "tg", "ftp"].contains(scheme) ? url : nil
    }
}

extension String {
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
