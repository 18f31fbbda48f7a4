import Foundation
import GazetteCore

/// Reads an RSS 2.0 / Atom 1.0 feed with conditional GET (ETag / Last-Modified).
///
/// `Post.messageID` of a feed item is a stable positive 63-bit number: FNV-1a (64-bit) of the item's
/// guid/id, else its link, else title + date, with the top bit cleared (0 becomes 1). The same item gets the
/// same id on every fetch, so the store's (channel, message_id) uniqueness deduplicates it.
public struct FeedSource: PostSource {
    let http: SourceHTTPClient
    /// The clock used to date items that carry no date.
    var now: @Sendable () -> Date = { Date() }

    init(http: SourceHTTPClient) {
        self.http = http
    }

    public func fetch(_ ref: ChannelRef, since: Date, state: FetchState?) async throws(SourceError) -> SourceResult {
        guard case .feed(let raw) = ref else { throw .unsupported(ref.kind) }
        guard let url = URL(string: raw), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw .invalidFeed(url: raw, detail: "not an http(s) URL")
        }
        var headers: [(String, String)] = [("Accept", "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1")]
        if let etag = state?.etag { headers.append(("If-None-Match", etag)) }
        if let modified = state?.lastModified { headers.append(("If-Modified-Since", modified)) }
        let response = try await http.get(url, source: .feed, headers: headers, trusted: false)
        let etag = response.headers.first(name: "etag") ?? state?.etag
        let lastModified = response.headers.first(name: "last-modified") ?? state?.lastModified
        if response.status == 304 {
            return SourceResult(posts: [], etag: etag, lastModified: lastModified, notModified: true, pages: 0)
        }
        guard (200..<300).contains(response.status) else { throw .httpStatus(response.status, url: raw) }
        let body = response.body
        let feed = try await BlockingWork.run { () throws(SourceError) in try FeedParser.parse(body, url: raw) }
        let fetchedAt = now()
        let dates = Self.dates(feed, firstFetch: state?.lastSuccessAt == nil,
                               fallback: lastModified.flatMap(DateParsing.rfc822) ?? fetchedAt)
        let posts = zip(feed.items, dates).map { Self.post($0, channel: ref.key, fetchedAt: fetchedAt, date: $1) }
            .filter { $0.date >= since }
        let unread = feed.items.compactMap(\.unreadDate)
        let metadata = ChannelMetadata(title: feed.title, description: feed.description)
        return SourceResult(posts: posts.sorted { $0.date < $1.date }, metadata: metadata, etag: etag,
                            lastModified: lastModified, unreadDates: unread)
    }

    /// Each item's date. An item whose date is missing or unreadable must not look like today's news: on the feed's
    /// first fetch it takes the feed's own date, else the date of the entry before it (document order), else of the
    /// one after it, else `fallback` (the response's `Last-Modified`, else the fetch time). On later fetches such an
    /// item is new to Gazette, and the fetch time is when it appeared.
    static func dates(_ feed: ParsedFeed, firstFetch: Bool, fallback: Date) -> [Date] {
        let known = feed.items.map(\.date)
        guard firstFetch else { return known.map { $0 ?? fallback } }
        var out: [Date] = []
        for (i, date) in known.enumerated() {
            if let date {
                out.append(date)
            } else if let feedDate = feed.updated {
                out.append(feedDate)
            } else if let before = out.last {
                out.append(before)
            } else {
                out.append(known[(i + 1)...].lazy.compactMap { $0 }.first ?? fallback)
            }
        }
        return out
    }

    static func post(_ item: FeedItem, channel: String, fetchedAt: Date, date: Date? = nil) -> Post {
        var body = RichText(text: "", html: "")
        if let html = item.html, let doc = MarkupDocument(html: Data(html.utf8)), let root = doc.root {
            body = RichText.extract(root, baseURL: item.baseURL.flatMap { URL(string: $0) })
        }
        var text = body.text
        if let title = item.title, !text.hasPrefix(title) {
            text = text.isEmpty ? title : title + "\n\n" + text
        }
        var media: [String: Int] = [:]
        for type in item.enclosureTypes {
            let kind = type.hasPrefix("audio") ? "audio" : type.hasPrefix("video") ? "video" : type.hasPrefix("image") ? "photo" : "document"
            media[kind, default: 0] += 1
        }
        return Post(channel: channel, messageID: stableID(item), text: text, html: body.html.nonEmpty,
                    date: item.date ?? date ?? fetchedAt, url: item.link,
                    media: media.keys.sorted().map { MediaSummary(kind: $0, count: media[$0]!) },
                    fetchedAt: fetchedAt, images: item.images)
    }

    /// See the type's documentation.
    public static func stableID(_ item: FeedItem) -> Int64 {
        let key = item.id ?? item.link ?? ((item.title ?? "") + "|" + (item.date.map { String($0.timeIntervalSince1970) } ?? ""))
        let id = Int64(bitPattern: FNV1a.hash(key) & 0x7FFF_FFFF_FFFF_FFFF)
        return id == 0 ? 1 : id
    }
}
