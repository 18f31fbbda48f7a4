import CLibXML2
import Foundation

/// One outline of an OPML file that names a subscription: its URLs as written, the folders it sits in and its
/// `category` values. Folders (outlines holding other outlines) are not listed themselves.
public struct OPMLOutline: Sendable, Equatable {
    /// `title`, else `text`.
    public var title: String?
    public var xmlURL: String?
    public var htmlURL: String?
    /// Titles of the enclosing folder outlines, outermost first.
    public var folders: [String]
    /// `category` values (`/News,/Tech/AI` → `News`, `Tech/AI`).
    public var categories: [String]
    /// The outline's line in the file (0 when unknown).
    public var line: Int

    public init(title: String? = nil, xmlURL: String? = nil, htmlURL: String? = nil, folders: [String] = [],
                categories: [String] = [], line: Int = 0) {
        self.title = title
        self.xmlURL = xmlURL
        self.htmlURL = htmlURL
        self.folders = folders
        self.categories = categories
        self.line = line
    }
}

/// An OPML file that cannot be read, with what is wrong with it.
public struct OPMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Reading and writing OPML subscription lists (OPML 1.0 and 2.0, as feed readers export and import them).
///
/// Reading uses libxml2's strict XML parser with the network off; entity declarations are refused before parsing, so
/// neither external entities nor entity expansion ("billion laughs") can happen. The size is capped.
public enum OPMLDocument {
    /// The largest file accepted: a reader's export of a thousand feeds is about 200 KB.
    public static let maxBytes = 1 << 20
    /// Outlines deeper than this are not walked (no reader nests folders that deep).
    static let maxDepth = 32

    /// The subscription outlines of `data`, in document order. Throws naming what is wrong: too large, not XML
    /// (with line and column), not OPML, no `<body>`.
    public static func outlines(_ data: Data) throws(OPMLError) -> [OPMLOutline] {
        guard data.count <= maxBytes else {
            throw OPMLError("the OPML file is too large (\(data.count) bytes; at most \(maxBytes) are accepted)")
        }
        // An OPML file never needs a DTD of its own; a declared entity is either an attack or a mistake.
        if data.range(of: Data("<!ENTITY".utf8)) != nil {
            throw OPMLError("the OPML file declares XML entities (<!ENTITY …>), which are not accepted")
        }
        let document: MarkupDocument
        do {
            document = try MarkupDocument(xml: data)
        } catch {
            throw OPMLError("the OPML file is not well-formed XML: \(error)")
        }
        guard let root = document.root else { throw OPMLError("the OPML file has no root element") }
        guard root.name == "opml" else {
            throw OPMLError("not an OPML file: the root element is <\(root.name)>, expected <opml>")
        }
        guard let body = root.element("body") else { throw OPMLError("the OPML file has no <body> element") }
        var out: [OPMLOutline] = []
        walk(body, folders: [], depth: 0, into: &out)
        return out
    }

    private static func walk(_ node: MarkupNode, folders: [String], depth: Int, into out: inout [OPMLOutline]) {
        guard depth < maxDepth else { return }
        for outline in node.elements("outline") {
            let title = nonEmpty(outline.attribute("title")) ?? nonEmpty(outline.attribute("text"))
            let xml = nonEmpty(attribute(outline, "xmlUrl"))
            let html = nonEmpty(attribute(outline, "htmlUrl")) ?? nonEmpty(outline.attribute("url"))
            let children = outline.elements("outline")
            if xml != nil || html != nil || children.isEmpty {
                let categories = (outline.attribute("category") ?? "").split(separator: ",").compactMap { part -> String? in
                    let trimmed = part.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
                    return trimmed.isEmpty ? nil : trimmed
                }
                out.append(OPMLOutline(title: title, xmlURL: xml, htmlURL: html, folders: folders, categories: categories,
                                       line: Int(xmlGetLineNo(outline.ptr))))
            }
            if !children.isEmpty {
                walk(outline, folders: folders + (title.map { [$0] } ?? []), depth: depth + 1, into: &out)
            }
        }
    }

    /// `xmlUrl`, also spelled `xmlURL` or `xmlurl` by some exporters.
    private static func attribute(_ node: MarkupNode, _ name: String) -> String? {
        node.attribute(name) ?? node.attribute(name.replacingOccurrences(of: "Url", with: "URL")) ?? node.attribute(name.lowercased())
    }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        return t
    }

    // MARK: Writing

    /// One subscription to write.
    public struct Entry: Sendable, Equatable {
        public var title: String
        public var xmlURL: String?
        public var htmlURL: String?
        public var tags: [String]
        public init(title: String, xmlURL: String?, htmlURL: String?, tags: [String]) {
            self.title = title
            self.xmlURL = xmlURL
            self.htmlURL = htmlURL
            self.tags = tags
        }
    }

    /// An OPML 2.0 document: entries with tags sit in a folder named after their first tag (how readers show
    /// categories) and carry all their tags in `category`; the others are at the top level. Serialized by libxml2,
    /// so every attribute is escaped.
    public static func write(title: String, entries: [Entry], created: Date) -> String {
        guard let doc = xmlNewDoc("1.0") else { return "" }
        defer { xmlFreeDoc(doc) }
        let root = xmlNewNode(nil, "opml")
        xmlSetProp(root, "version", "2.0")
        xmlDocSetRootElement(doc, root)
        let head = xmlNewChild(root, nil, "head", nil)
        xmlNewTextChild(head, nil, "title", title)
        xmlNewTextChild(head, nil, "dateCreated", rfc822(created))
        let body = xmlNewChild(root, nil, "body", nil)
        var folders: [String: xmlNodePtr] = [:]
        for entry in entries {
            var parent = body
            if let first = entry.tags.first {
                if let folder = folders[first] {
                    parent = folder
                } else {
                    let folder = xmlNewChild(body, nil, "outline", nil)
                    xmlSetProp(folder, "text", first)
                    xmlSetProp(folder, "title", first)
                    folders[first] = folder
                    parent = folder
                }
            }
            let outline = xmlNewChild(parent, nil, "outline", nil)
            xmlSetProp(outline, "type", "rss")
            xmlSetProp(outline, "text", entry.title)
            xmlSetProp(outline, "title", entry.title)
            if let xml = entry.xmlURL { xmlSetProp(outline, "xmlUrl", xml) }
            if let html = entry.htmlURL { xmlSetProp(outline, "htmlUrl", html) }
            if !entry.tags.isEmpty { xmlSetProp(outline, "category", entry.tags.map { "/" + $0 }.joined(separator: ",")) }
        }
        var buffer: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpFormatMemoryEnc(doc, &buffer, &size, "UTF-8", 1)
        guard let buffer else { return "" }
        defer { cxml_free(buffer) }
        return String(decoding: UnsafeBufferPointer(start: buffer, count: Int(size)), as: UTF8.self)
    }

    static func rfc822(_ date: Date) -> String {
        date.formatted(Date.VerbatimFormatStyle(
            format: "\(weekday: .abbreviated), \(day: .twoDigits) \(month: .abbreviated) \(year: .defaultDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits) GMT",
            locale: Locale(identifier: "en_US_POSIX"), timeZone: .gmt, calendar: Calendar(identifier: .gregorian)))
    }
}
