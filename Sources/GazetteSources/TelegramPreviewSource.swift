import Foundation
import GazetteCore

/// Reads a public channel from Telegram's web preview, `<base>/s/<username>`, paging back with `?before=`.
public struct TelegramPreviewSource: PostSource {
    public var baseURL: URL
    public var maxPages: Int
    let http: SourceHTTPClient

    init(baseURL: URL, maxPages: Int, http: SourceHTTPClient) {
        self.baseURL = baseURL
        self.maxPages = max(1, maxPages)
        self.http = http
    }

    public func fetch(_ ref: ChannelRef, since: Date, state: FetchState?) async throws(SourceError) -> SourceResult {
        try await fetch(ref, since: since, state: state, maxPages: maxPages)
    }

    /// Pages back until a page reaches `since` or the newest id already stored, the channel's start, or `maxPages`.
    /// The first page failing fails the channel; an older page failing keeps the posts the newer pages gave and
    /// says why in `partialFailure`.
    public func fetch(_ ref: ChannelRef, since: Date, state: FetchState?, maxPages: Int) async throws(SourceError) -> SourceResult {
        guard case .telegram(let username) = ref else { throw .unsupported(ref.kind) }
        var byID: [Int64: Post] = [:]
        var metadata: ChannelMetadata?
        var before: Int64?
        var pages = 0
        var partialFailure: SourceError?
        while pages < max(1, maxPages) {
            let current: PreviewPage
            do {
                current = try await self.page(username, before: before)
            } catch {
                guard pages > 0 else { throw error }
                partialFailure = error
                break
            }
            pages += 1
            if metadata == nil { metadata = current.metadata }
            for post in current.posts where post.date >= since { byID[post.messageID] = post }
            // A page of only service messages (a run of pins or title changes) may have posts before it: it says
            // nothing about dates or stored ids, and its cursor is followed like any other. An empty page ends here.
            if let oldest = current.posts.min(by: { $0.messageID < $1.messageID }) {
                if oldest.date < since { break }
                if let known = state?.lastMessageID, oldest.messageID <= known { break }
            } else if current.serviceMessages == 0 {
                break
            }
            // No "load more" link: this is the channel's beginning. A cursor that does not move back would loop.
            guard let next = current.before, next > 1, next < (before ?? .max) else { break }
            before = next
        }
        return SourceResult(posts: byID.values.sorted { $0.messageID < $1.messageID }, metadata: metadata, pages: pages,
                            partialFailure: partialFailure)
    }

    /// One page, with the "no such channel" / "no preview" redirect of t.me resolved into an error.
    public func page(_ username: String, before: Int64?) async throws(SourceError) -> PreviewPage {
        var url = previewURL(username, before: before)
        var redirects = 0
        while true {
            let response = try await http.get(url, source: .telegramPreview, trusted: true, followRedirects: false)
            switch response.status {
            case 200:
                let (body, baseURL) = (response.body, baseURL)
                let content = try await BlockingWork.run { () throws(SourceError) in
                    try TelegramPreviewParser.parse(body, channel: username, baseURL: baseURL)
                }
                switch content {
                case .channel(let page): return page
                case .notFound: throw .channelNotFound(channel: username)
                case .noPublicPreview: throw .noPublicPreview(channel: username)
                }
            case 301, 302, 303, 307, 308:
                // t.me sends /s/<name> without a preview to /<name>; only same-host hops are followed.
                guard redirects < 3, let location = response.headers.first(name: "location"),
                      let next = URL(string: location, relativeTo: url)?.absoluteURL,
                      next.host(percentEncoded: false) == baseURL.host(percentEncoded: false) else {
                    throw .httpStatus(response.status, url: url.absoluteString)
                }
                redirects += 1
                url = next
            case 404:
                throw .channelNotFound(channel: username)
            default:
                throw .httpStatus(response.status, url: url.absoluteString)
            }
        }
    }

    func previewURL(_ username: String, before: Int64?) -> URL {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false) ?? URLComponents()
        let prefix = components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path
        components.path = prefix + "/s/" + username
        components.queryItems = before.map { [URLQueryItem(name: "before", value: String($0))] }
        return components.url ?? baseURL.appendingPathComponent("s").appendingPathComponent(username)
    }
}
