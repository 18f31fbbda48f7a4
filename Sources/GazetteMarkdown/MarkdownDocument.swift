import CCmarkGFM
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// cmark-gfm's extensions are registered once per process, here and nowhere else: the C registration keeps a plain
/// flag, so two modules each guarding their own call could run it twice at the same time. Swift runs a global's
/// initializer once, under a lock.
private let extensionsRegistered: Bool = {
    cmark_gfm_core_extensions_ensure_registered()
    return true
}()

/// The cmark-gfm syntax extensions a reader of the digest's markdown may attach.
public enum MarkdownExtension: String, Sendable, CaseIterable {
    case table, strikethrough, autolink, tagfilter, tasklist
}

/// What goes wrong while parsing markdown; the callers wrap it in their own error.
public enum MarkdownError: Error, Sendable, Equatable, CustomStringConvertible {
    case parserUnavailable
    case missingExtension(String)
    case noDocument

    public var description: String {
        switch self {
        case .parserUnavailable: "could not create the markdown parser"
        case .missingExtension(let name): "cmark-gfm extension '\(name)' is missing"
        case .noDocument: "the markdown parser returned no document"
        }
    }
}

/// A parsed markdown document: cmark-gfm's tree and the parser whose extensions its nodes use, freed together.
/// The PDF reader and the web page walk `root` with cmark's own iterator; neither sets cmark up on its own.
public final class MarkdownDocument {
    /// The document node. Valid while this object lives; never free it.
    public let root: OpaquePointer
    private let parser: OpaquePointer

    /// Parses `bytes` (UTF-8, invalid sequences replaced) with the given extensions attached.
    public init(parsing bytes: UnsafeBufferPointer<UInt8>, extensions: [MarkdownExtension],
                options: Int32 = CMARK_OPT_VALIDATE_UTF8) throws(MarkdownError) {
        (root, parser) = try Self.parse(bytes, extensions: extensions, options: options)
    }

    public init(parsing text: String, extensions: [MarkdownExtension],
                options: Int32 = CMARK_OPT_VALIDATE_UTF8) throws(MarkdownError) {
        var text = text
        (root, parser) = try text.withUTF8 { bytes in
            Result { () throws(MarkdownError) in try Self.parse(bytes, extensions: extensions, options: options) }
        }.get()
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>, extensions: [MarkdownExtension],
                              options: Int32) throws(MarkdownError) -> (OpaquePointer, OpaquePointer) {
        precondition(extensionsRegistered)
        guard let parser = cmark_parser_new(options) else { throw .parserUnavailable }
        for name in extensions {
            guard let ext = cmark_find_syntax_extension(name.rawValue) else {
                cmark_parser_free(parser)
                throw .missingExtension(name.rawValue)
            }
            cmark_parser_attach_syntax_extension(parser, ext)
        }
        if let base = bytes.baseAddress, !bytes.isEmpty {
            base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { cmark_parser_feed(parser, $0, bytes.count) }
        }
        guard let root = cmark_parser_finish(parser) else {
            cmark_parser_free(parser)
            throw .noDocument
        }
        return (root, parser)
    }

    /// The tree as HTML by cmark-gfm's renderer (the attached extensions render their own nodes).
    public func html(options: Int32) -> String? {
        guard let rendered = cmark_render_html(root, options, cmark_parser_get_syntax_extensions(parser)) else { return nil }
        defer { free(rendered) }
        return String(cString: rendered)
    }

    /// Moves every block of `other` into this tree in place of `node` (one of this tree's nodes), which is freed.
    public func replace(_ node: OpaquePointer, withBlocksOf other: MarkdownDocument) {
        while let child = cmark_node_first_child(other.root) {
            cmark_node_unlink(child)
            cmark_node_insert_before(node, child)
        }
        cmark_node_unlink(node)
        cmark_node_free(node)
    }

    /// Visits every node in document order, once entering and once leaving (a leaf only entering), with cmark's
    /// iterator: nesting depth never grows the stack. The tree must not change during the walk.
    public func walk(_ visit: (_ node: OpaquePointer, _ entering: Bool) -> Void) {
        Self.walk(root, visit)
    }

    /// The same walk below any node (the node itself included).
    public static func walk(_ node: OpaquePointer, _ visit: (_ node: OpaquePointer, _ entering: Bool) -> Void) {
        guard let iterator = cmark_iter_new(node) else { return }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let current = cmark_iter_get_node(iterator) else { continue }
            visit(current, event == CMARK_EVENT_ENTER)
        }
    }

    /// Every node for which `include` holds, in document order. Collect first, change after: cmark's iterator must
    /// not see the tree change under it.
    public func nodes(where include: (OpaquePointer) -> Bool) -> [OpaquePointer] {
        var found: [OpaquePointer] = []
        walk { node, entering in if entering, include(node) { found.append(node) } }
        return found
    }

    deinit {
        cmark_node_free(root)
        cmark_parser_free(parser)
    }
}
