import Foundation
import GazetteCore

/// Atom 1.0 (RFC 4287) and the older Atom 0.3 feeds and entries.
enum AtomFeed {
    private typealias P = FeedParser

    /// Atom's own child element `name` (Atom 1.0 or 0.3, or no namespace), not a module's of the same name
    /// (`media:content`, `media:title`).
    static func own(_ node: MarkupNode, _ name: String) -> MarkupNode? {
        node.elements(name).first(where: isAtom)
    }

    static func isAtom(_ node: MarkupNode) -> Bool {
        node.namespace == nil || node.namespace == P.atomNS || node.namespace == P.atom03NS
    }

    static func parse(_ feed: MarkupNode) -> ParsedFeed {
        let feedLink = alternate(feed.elements("link").filter(isAtom))
        let updated = P.date([own(feed, "updated"), own(feed, "modified")]).date
        return ParsedFeed(format: .atom, title: FeedBody.title(own(feed, "title"), atom: true), link: feedLink,
                          description: P.text(own(feed, "subtitle") ?? own(feed, "tagline")), updated: updated,
                          items: feed.elements("entry").filter(isAtom).map { entry(in: $0, feedLink: feedLink) })
    }

    static func entry(in entry: MarkupNode, feedLink: String?) -> FeedItem {
        let links = entry.elements("link").filter(isAtom)
        let body = FeedBody.first([
            own(entry, "content").map(FeedBody.Candidate.atom),
            own(entry, "summary").map(FeedBody.Candidate.atom),
        ].compactMap { $0 } + MediaRSS.descriptions(entry).map(FeedBody.Candidate.media))
        let dated = P.date([own(entry, "published"), own(entry, "updated"), own(entry, "issued"),
                            own(entry, "created"), own(entry, "modified")])
        let enclosures = links.filter { $0.attribute("rel") == "enclosure" }.map { $0.attribute("type") ?? "application/octet-stream" }
        let id = P.text(own(entry, "id"))
        let link = P.link([alternate(links)], id: id, feedLink: feedLink)
        let base = body?.baseURL ?? link
        return FeedItem(id: id, title: FeedBody.title(own(entry, "title"), atom: true), link: link,
                        html: body?.html, baseURL: base, date: dated.date, unreadDate: dated.unread,
                        author: own(entry, "author").flatMap { P.text(own($0, "name")) },
                        enclosureTypes: enclosures, images: ImageReferences.feed(entry, bodyHTML: body?.html, base: base))
    }

    /// The first `rel="alternate"` link (no `rel` means alternate) with a non-empty `href`, resolved against `xml:base`;
    /// an HTML one is preferred when there are several.
    static func alternate(_ links: [MarkupNode]) -> String? {
        let alternates = links.filter {
            ($0.attribute("rel") ?? "alternate") == "alternate"
                && !($0.attribute("href") ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
        let html = alternates.first { ($0.attribute("type") ?? "text/html").lowercased().contains("html") }
        guard let chosen = html ?? alternates.first, let href = chosen.attribute("href") else { return nil }
        return chosen.resolve(href)
    }
}
