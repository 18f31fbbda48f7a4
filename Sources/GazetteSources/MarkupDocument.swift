import CLibXML2
import Foundation

/// A parsed HTML page (libxml2's error-tolerant HTML parser) or XML document (its strict XML parser), plus XPath.
///
/// Not `Sendable`: a document lives inside one parse call and is freed when it goes out of scope.
final class MarkupDocument {
    private let doc: htmlDocPtr
    private let xpath: xmlXPathContextPtr

    /// Nil when libxml2 could not build any tree (empty input or out of memory); broken markup still parses.
    init?(html data: Data) {
        guard !data.isEmpty, data.count < Int(Int32.max) else { return nil }
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
        let parsed = data.withUnsafeBytes { raw -> htmlDocPtr? in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
            return htmlReadMemory(base, Int32(raw.count), "page.html", "UTF-8", options)
        }
        guard let parsed else { return nil }
        guard let context = xmlXPathNewContext(parsed) else {
            xmlFreeDoc(parsed)
            return nil
        }
        doc = parsed
        xpath = context
    }

    /// Strict XML parsing: malformed input is an error with libxml2's line and column, never a partial tree.
    /// External entities and the network are never loaded (no XXE), and entities declared in a DTD are not expanded.
    /// `url` is the document's own address: the base of relative references (`MarkupNode.baseURL`).
    init(xml data: Data, url: String = "document.xml") throws(MarkupError) {
        guard !data.isEmpty else { throw MarkupError(message: "the document is empty", line: 0, column: 0) }
        guard data.count < Int(Int32.max), let ctxt = xmlNewParserCtxt() else {
            throw MarkupError(message: "the document cannot be parsed", line: 0, column: 0)
        }
        defer { xmlFreeParserCtxt(ctxt) }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOERROR.rawValue
            | XML_PARSE_NOWARNING.rawValue)
        let parsed = data.withUnsafeBytes { raw -> xmlDocPtr? in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self) else { return nil }
            return xmlCtxtReadMemory(ctxt, base, Int32(raw.count), url, nil, options)
        }
        let wellFormed = ctxt.pointee.wellFormed != 0
        guard let parsed, wellFormed else {
            if let parsed { xmlFreeDoc(parsed) }
            if let err = xmlCtxtGetLastError(UnsafeMutableRawPointer(ctxt)) {
                let message = err.pointee.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "malformed XML"
                throw MarkupError(message: message, line: Int(err.pointee.line), column: Int(err.pointee.int2),
                                  code: Int(err.pointee.code))
            }
            throw MarkupError(message: "malformed XML", line: 0, column: 0)
        }
        guard let context = xmlXPathNewContext(parsed) else {
            xmlFreeDoc(parsed)
            throw MarkupError(message: "out of memory", line: 0, column: 0)
        }
        doc = parsed
        xpath = context
    }

    deinit {
        xmlXPathFreeContext(xpath)
        xmlFreeDoc(doc)
    }

    var root: MarkupNode? {
        xmlDocGetRootElement(doc).map { MarkupNode(ptr: $0, document: self) }
    }

    /// Evaluates `expression` with `node` as the context node (the whole document when nil).
    func select(_ expression: String, from node: MarkupNode? = nil) -> [MarkupNode] {
        xpath.pointee.node = node?.ptr ?? xmlDocGetRootElement(doc)
        let bytes = Array(expression.utf8) + [0]
        guard let result = xmlXPathEvalExpression(bytes, xpath) else { return [] }
        defer { xmlXPathFreeObject(result) }
        guard result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval else { return [] }
        let count = Int(set.pointee.nodeNr)
        var nodes: [MarkupNode] = []
        nodes.reserveCapacity(count)
        for i in 0..<count {
            if let p = set.pointee.nodeTab[i] { nodes.append(MarkupNode(ptr: p, document: self)) }
        }
        return nodes
    }

    /// XPath predicate matching one class in a space-separated class list.
    static func hasClass(_ name: String) -> String {
        "contains(concat(' ', normalize-space(@class), ' '), ' \(name) ')"
    }
}

/// A node of an `MarkupDocument`; valid only while the document is alive (it keeps it alive).
struct MarkupNode {
    let ptr: xmlNodePtr
    let document: MarkupDocument

    var name: String { ptr.pointee.name.map { String(cString: $0) } ?? "" }
    var isElement: Bool { ptr.pointee.type == XML_ELEMENT_NODE }
    /// The namespace URI of an element, when it has one.
    var namespace: String? { ptr.pointee.ns?.pointee.href.map { String(cString: $0) } }
    var isText: Bool { ptr.pointee.type == XML_TEXT_NODE || ptr.pointee.type == XML_CDATA_SECTION_NODE }

    func attribute(_ name: String) -> String? {
        guard let value = xmlGetProp(ptr, name) else { return nil }
        defer { cxml_free(value) }
        return String(cString: value)
    }

    /// Raw text content of the node and its descendants.
    var content: String {
        guard let value = xmlNodeGetContent(ptr) else { return "" }
        defer { cxml_free(value) }
        return String(cString: value)
    }

    /// Text with every run of whitespace collapsed to one space, trimmed.
    var normalizedText: String { TextNormalizer.collapse(content) }

    var children: [MarkupNode] {
        var out: [MarkupNode] = []
        var child = ptr.pointee.children
        while let c = child {
            out.append(MarkupNode(ptr: c, document: document))
            child = c.pointee.next
        }
        return out
    }

    func select(_ expression: String) -> [MarkupNode] { document.select(expression, from: self) }
    func first(_ expression: String) -> MarkupNode? { select(expression).first }

    /// Child elements, optionally only those with a local name.
    func elements(_ localName: String? = nil) -> [MarkupNode] {
        children.filter { $0.isElement && (localName == nil || $0.name == localName) }
    }

    func element(_ localName: String, namespace ns: String? = nil) -> MarkupNode? {
        children.first { $0.isElement && $0.name == localName && (ns == nil || $0.namespace == ns) }
    }

    var classes: [Substring] { (attribute("class") ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) }
}

/// A document that is not well-formed XML, with libxml2's position of the first error.
struct MarkupError: Error, Sendable, CustomStringConvertible {
    var message: String
    var line: Int
    var column: Int
    /// libxml2's error number (`xmlParserErrors`), 0 when the error is Gazette's own.
    var code: Int = 0
    /// A reference XML cannot read: an entity it does not define (`&nbsp;` without a DTD), or a bare `&`.
    var isReferenceError: Bool {
        [XML_ERR_UNDECLARED_ENTITY, XML_WAR_UNDECLARED_ENTITY, XML_ERR_ENTITYREF_SEMICOL_MISSING, XML_ERR_ENTITYREF_NO_NAME,
         XML_ERR_NAME_REQUIRED].contains { code == Int($0.rawValue) }
    }
    var description: String { line > 0 ? "\(message) at line \(line), column \(column)" : message }
}

extension MarkupNode {
    /// The base URL of relative references in this node: `xml:base` of the node and its ancestors, resolved against
    /// the document's address (RFC 3986 §5.1, as libxml2's `xmlNodeGetBase` computes it).
    var baseURL: String? {
        guard let base = xmlNodeGetBase(ptr.pointee.doc, ptr) else { return nil }
        defer { cxml_free(base) }
        return String(cString: base)
    }

    /// `reference` resolved against this node's base URL; nil when it is blank or cannot be resolved.
    func resolve(_ reference: String) -> String? {
        let trimmed = reference.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return nil }
        guard let base = xmlNodeGetBase(ptr.pointee.doc, ptr) else { return trimmed }
        defer { cxml_free(base) }
        // Foundation resolves per RFC 3986 and keeps the reference's percent-encoding (`%26` stays `%26`, which
        // xmlBuildURI would decode); libxml2 is the fallback for what Foundation refuses.
        if let baseURL = URL(string: String(cString: base)), let resolved = URL(string: trimmed, relativeTo: baseURL) {
            return resolved.absoluteString
        }
        guard let built = xmlBuildURI(trimmed, base) else { return trimmed }
        defer { cxml_free(built) }
        return String(cString: built)
    }

    /// The node's children serialized back to markup (used for Atom XHTML content).
    var innerXML: String {
        guard let buffer = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buffer) }
        for child in children {
            xmlNodeDump(buffer, ptr.pointee.doc, child.ptr, 0, 0)
        }
        guard let bytes = xmlBufferContent(buffer) else { return "" }
        return String(cString: bytes)
    }
}
