import Foundation
import GazetteCore

/// A feed after parsing, before it becomes posts.
public struct ParsedFeed: Sendable, Equatable {
    public enum Format: String, Sendable { case rss2, rss1, atom }
    public var format: Format
    public var title: String?
    public var link: String?
    public var description: String?
    public var items: [FeedItem]
}

public struct FeedItem: Sendable, Equatable {
    /// RSS `guid` or Atom `id`.
    public var id: String?
    public var title: String?
    public var link: String?
    /// The body as HTML (RSS `description`/`content:encoded`, Atom `content`/`summary`); plain text is escaped.
    public var html: String?
    public var date: Date?
    public var author: String?
    /// Enclosures and media: MIME types (`audio/mpeg`).
    public var enclosureTypes: [String]
    /// Pictures: image enclosures, `media:content`, `media:thumbnail`, else the body's first `<img>`.
    public var images: [ImageRef] = []
}

/// RSS 2.0 (and 1.0) and Atom 1.0 with libxml2's strict XML parser: malformed XML is an error, never a partial success.
public enum FeedParser {
    static let atomNS = "http://www.w3.org/2005/Atom"
    static let contentNS = "http://purl.org/rss/1.0/modules/content/"
    static let dcNS = "http://purl.org/dc/elements/1.1/"

    public static func parse(_ data: Data, url: String) throws(SourceError) -> ParsedFeed {
        let doc: MarkupDocument
        do {
            doc = try MarkupDocument(xml: data)
        } catch {
            throw .invalidFeed(url: url, detail: "malformed XML: \(error)")
        }
        guard let root = doc.root else { throw .invalidFeed(url: url, detail: "no root element") }
        switch root.name {
        case "rss":
            guard let channel = root.element("channel") else { throw .invalidFeed(url: url, detail: "<rss> has no <channel>") }
            return rss(channel: channel, items: channel.elements("item"), format: .rss2)
        case "RDF":
            guard let channel = root.element("channel") else { throw .invalidFeed(url: url, detail: "RDF feed has no <channel>") }
            return rss(channel: channel, items: root.elements("item"), format: .rss1)
        case "feed" where root.namespace == atomNS || root.namespace == nil:
            return atom(root)
        default:
            throw .invalidFeed(url: url, detail: "the root element is <\(root.name)>, not <rss> or Atom <feed>")
        }
    }

    private static func rss(channel: MarkupNode, items: [MarkupNode], format: ParsedFeed.Format) -> ParsedFeed {
        let parsed = items.map { item in
            let encoded = item.element("encoded", namespace: contentNS)?.content
            let description = item.element("description")?.content
            let date = item.element("pubDate").flatMap { DateParsing.rfc822($0.content) }
                ?? item.element("date", namespace: dcNS).flatMap { DateParsing.iso8601($0.content) }
            let enclosures = item.elements("enclosure").compactMap { $0.attribute("type") ?? $0.attribute("url").map { _ in "application/octet-stream" } }
                + item.elements("content").filter { $0.namespace?.contains("search.yahoo.com/mrss") == true }
                    .map { $0.attribute("type") ?? $0.attribute("medium") ?? "media" }
            let link = text(item.element("link")) ?? item.attribute("about")
            let html = (encoded ?? description).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }?.nonEmpty
            return FeedItem(id: text(item.element("guid")), title: text(item.element("title")),
                            link: link, html: html, date: date,
                            author: text(item.element("creator", namespace: dcNS)) ?? text(item.element("author")),
                            enclosureTypes: enclosures, images: ImageReferences.feed(item, bodyHTML: html, link: link))
        }
        return ParsedFeed(format: format, title: text(channel.element("title")), link: text(channel.element("link")),
                          description: text(channel.element("description")), items: parsed)
    }

    private static func atom(_ feed: MarkupNode) -> ParsedFeed {
        let entries = feed.elements("entry").map { entry in
            let links = entry.elements("link")
            let alternate = links.first { ($0.attribute("rel") ?? "alternate") == "alternate" } ?? links.first
            let date = text(entry.element("published")).flatMap(DateParsing.iso8601)
                ?? text(entry.element("updated")).flatMap(DateParsing.iso8601)
            let body = entry.element("content").flatMap(atomText) ?? entry.element("summary").flatMap(atomText)
            let enclosures = links.filter { $0.attribute("rel") == "enclosure" }.map { $0.attribute("type") ?? "application/octet-stream" }
            let link = alternate?.attribute("href")
            return FeedItem(id: text(entry.element("id")), title: text(entry.element("title")),
                            link: link, html: body, date: date,
                            author: entry.element("author").flatMap { text($0.element("name")) },
                            enclosureTypes: enclosures, images: ImageReferences.feed(entry, bodyHTML: body, link: link))
        }
        let links = feed.elements("link")
        let alternate = links.first { ($0.attribute("rel") ?? "alternate") == "alternate" }
        return ParsedFeed(format: .atom, title: text(feed.element("title")), link: alternate?.attribute("href"),
                          description: text(feed.element("subtitle")), items: entries)
    }

    /// Atom text constructs: `text` is escaped to HTML, `html` is taken as is, `xhtml` is the inner markup of its div.
    private static func atomText(_ node: MarkupNode) -> String? {
        switch node.attribute("type") ?? "text" {
        case "html", "text/html":
            return node.content.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
        case "xhtml", "application/xhtml+xml":
            let container = node.elements("div").first ?? node
            return container.innerXML.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty
        default:
            return RichText.escape(node.content.trimmingCharacters(in: .whitespacesAndNewlines)).nonEmpty
        }
    }

    private static func text(_ node: MarkupNode?) -> String? {
        node.map { TextNormalizer.collapse($0.content) }?.nonEmpty
    }
}
