import Foundation
import GazetteCore

/// RSS 2.0, 0.9x and 1.0 (RDF) channels and items.
enum RSSFeed {
    private typealias P = FeedParser

    /// Namespaces of modules whose elements share RSS's names (`atom:link`, `media:title`, `itunes:summary`…). RSS's
    /// own elements have no namespace, RSS 1.0's or another a feed declared as its default.
    private static let modules: Set<String> = [P.atomNS, P.contentNS, P.dcNS, P.dctermsNS, P.xhtmlNS, P.itunesNS,
                                               "http://search.yahoo.com/mrss/", "http://www.google.com/schemas/play-podcasts/1.0"]

    /// RSS's own child element `name`, not a module's of the same name (a self `atom:link` often comes first).
    static func own(_ node: MarkupNode, _ name: String) -> MarkupNode? {
        node.elements(name).first { $0.namespace.map { !modules.contains($0) } ?? true }
    }

    static func link(_ node: MarkupNode) -> MarkupNode? { own(node, "link") }

    static func parse(channel: MarkupNode, items: [MarkupNode], format: ParsedFeed.Format) -> ParsedFeed {
        let feedLink = link(channel).flatMap { node in P.text(node).flatMap { node.resolve($0) } }
        let updated = P.date([own(channel, "lastBuildDate"), own(channel, "pubDate"),
                              channel.element("date", namespace: P.dcNS)]).date
        return ParsedFeed(format: format, title: FeedBody.title(own(channel, "title"), atom: false), link: feedLink,
                          description: P.text(own(channel, "description")), updated: updated,
                          items: items.map { item(in: $0, feedLink: feedLink) })
    }

    static func item(in item: MarkupNode, feedLink: String?) -> FeedItem {
        let media = MediaRSS.descriptions(item)
        let body = FeedBody.first([
            item.element("encoded", namespace: P.contentNS).map(FeedBody.Candidate.html),
            own(item, "description").map(FeedBody.Candidate.html),
            item.element("content", namespace: P.atomNS).map(FeedBody.Candidate.atom),
            item.element("summary", namespace: P.atomNS).map(FeedBody.Candidate.atom),
            item.element("body", namespace: P.xhtmlNS).map(FeedBody.Candidate.xhtml),
        ].compactMap { $0 } + media.map(FeedBody.Candidate.media)
            + [item.element("summary", namespace: P.itunesNS).map(FeedBody.Candidate.plain)].compactMap { $0 })
        let dated = P.date([
            own(item, "pubDate"), item.element("date", namespace: P.dcNS), item.element("issued", namespace: P.dctermsNS),
            item.element("created", namespace: P.dctermsNS), item.element("modified", namespace: P.dctermsNS),
            item.element("published", namespace: P.atomNS), item.element("updated", namespace: P.atomNS),
        ])
        let enclosures = item.elements("enclosure").compactMap { $0.attribute("type") ?? $0.attribute("url").map { _ in "application/octet-stream" } }
            + item.elements("content").filter { $0.namespace?.contains(ImageReferences.mediaRSS) == true }
                .map { $0.attribute("type") ?? $0.attribute("medium") ?? "media" }
        let guid = P.text(own(item, "guid"))
        // A guid is the item's address only when it says so (the default) and is one.
        let permalink = own(item, "guid").flatMap { node in
            node.attribute("isPermaLink")?.lowercased() == "false" ? nil : guid.flatMap { P.isWebURL($0) ? $0 : nil }
        }
        let linkNode = Self.link(item)
        let atomLinks = item.elements("link").filter { $0.namespace == P.atomNS && ($0.attribute("rel") ?? "alternate") == "alternate" }
        let link = P.link([P.text(linkNode).flatMap { linkNode?.resolve($0) },
                           atomLinks.lazy.compactMap { l in l.attribute("href").flatMap { l.resolve($0) } }.first,
                           item.attribute("about").flatMap { item.resolve($0) }, permalink],
                          id: guid, feedLink: feedLink)
        let base = body?.baseURL ?? link
        return FeedItem(id: guid, title: FeedBody.title(own(item, "title"), atom: false), link: link,
                        html: body?.html, baseURL: base, date: dated.date, unreadDate: dated.unread,
                        author: P.text(item.element("creator", namespace: P.dcNS)) ?? P.text(own(item, "author")),
                        enclosureTypes: enclosures, images: ImageReferences.feed(item, bodyHTML: body?.html, base: base))
    }
}
