import Foundation
import GazetteCore

/// A feed after parsing, before it becomes posts.
public struct ParsedFeed: Sendable, Equatable {
    public enum Format: String, Sendable { case rss2, rss1, atom }
    public var format: Format
    public var title: String?
    public var link: String?
    public var description: String?
    /// The feed's own date: Atom `updated`, RSS `lastBuildDate`, `pubDate` or `dc:date` of the channel.
    public var updated: Date?
    public var items: [FeedItem]
}

public struct FeedItem: Sendable, Equatable {
    /// RSS `guid` or Atom `id`.
    public var id: String?
    /// Plain text: markup removed and entities decoded.
    public var title: String?
    /// Absolute: resolved against `xml:base` and the document's URL; else the id when it is a URL, else the feed's link.
    public var link: String?
    /// The body as HTML: the first non-empty of the known body elements (`FeedBody`); plain text is escaped.
    public var html: String?
    /// Where the body's relative links point from.
    public var baseURL: String?
    public var date: Date?
    /// The text of a date element that no known form could read (the item then has no `date`).
    public var unreadDate: String?
    public var author: String?
    /// Enclosures and media: MIME types (`audio/mpeg`).
    public var enclosureTypes: [String]
    /// Pictures: image enclosures, `media:content`, `media:thumbnail`, else the body's first `<img>`.
    public var images: [ImageRef] = []
}

/// RSS 2.0, 1.0 and 0.9x, Atom 1.0 and 0.3, with libxml2's strict XML parser. Two faults real feeds carry are
/// forgiven (`FeedRecovery`); any other malformed XML is an error, never a partial success.
public enum FeedParser {
    static let atomNS = "http://www.w3.org/2005/Atom"
    static let atom03NS = "http://purl.org/atom/ns#"
    static let contentNS = "http://purl.org/rss/1.0/modules/content/"
    static let dcNS = "http://purl.org/dc/elements/1.1/"
    static let dctermsNS = "http://purl.org/dc/terms/"
    static let xhtmlNS = "http://www.w3.org/1999/xhtml"
    static let itunesNS = "http://www.itunes.com/dtds/podcast-1.0.dtd"

    public static func parse(_ data: Data, url: String) throws(SourceError) -> ParsedFeed {
        let doc: MarkupDocument
        do {
            doc = try FeedRecovery.parse(data, url: url)
        } catch {
            throw .invalidFeed(url: url, detail: "malformed XML: \(error)")
        }
        guard let root = doc.root else { throw .invalidFeed(url: url, detail: "no root element") }
        switch root.name {
        case "rss":
            guard let channel = root.element("channel") else { throw .invalidFeed(url: url, detail: "<rss> has no <channel>") }
            return RSSFeed.parse(channel: channel, items: channel.elements("item"), format: .rss2)
        case "RDF":
            guard let channel = root.element("channel") else { throw .invalidFeed(url: url, detail: "RDF feed has no <channel>") }
            return RSSFeed.parse(channel: channel, items: root.elements("item"), format: .rss1)
        case "feed" where root.namespace == atomNS || root.namespace == atom03NS || root.namespace == nil:
            return AtomFeed.parse(root)
        default:
            throw .invalidFeed(url: url, detail: "the root element is <\(root.name)>, not <rss> or Atom <feed>")
        }
    }

    /// A text element's content with whitespace collapsed; nil when blank.
    static func text(_ node: MarkupNode?) -> String? {
        node.map { TextNormalizer.collapse($0.content) }?.nonEmpty
    }

    /// The first date among `nodes` (in order of preference) that reads, and the text of the first that did not.
    static func date(_ nodes: [MarkupNode?]) -> (date: Date?, unread: String?) {
        var unread: String?
        for node in nodes.compactMap({ $0 }) {
            guard let raw = text(node) else { continue }
            if let date = DateParsing.parse(raw) { return (date, nil) }
            unread = unread ?? raw
        }
        return (nil, unread)
    }

    /// A link, else the item's id when that is a web URL, else the feed's link.
    static func link(_ candidates: [String?], id: String?, feedLink: String?) -> String? {
        if let link = candidates.lazy.compactMap({ $0 }).first(where: { !$0.isEmpty }) { return link }
        if let id, isWebURL(id) { return id }
        return feedLink
    }

    static func isWebURL(_ s: String) -> Bool {
        let lower = s.lowercased()
        return (lower.hasPrefix("http://") || lower.hasPrefix("https://")) && !s.contains(where: \.isWhitespace)
    }
}
