import Foundation
import GazetteCore
import GazetteDigest
import Hummingbird

/// `/u/<token>/search?q=…` (issue 27): the search box of every reader page sends its query here, a plain GET form, so
/// the page works without JavaScript. `since` (24h, 7d, 30d, a day), `channel` and `page` narrow and page the results.
extension WebReader {
    static let searchPageSize = 20
    static let searchRanges: [(since: String?, label: String)] = [(nil, "Any time"), ("24h", "24 h"), ("7d", "7 days"), ("30d", "30 days")]

    func search(_ reader: Reader, request: Request) async throws -> Response {
        let form = Self.formValues(request.uri.query)
        let text = (form["q"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let since = form["since"].flatMap { $0.isEmpty ? nil : $0 }
        let channel = form["channel"].flatMap { $0.isEmpty ? nil : $0 }
        let pageNumber = Int(form["page"] ?? "1") ?? 0
        let base = reader.base + "/search"
        func url(since: String?, channel: String?, page: Int = 1) -> String {
            var parts = ["q=" + Self.formEncoded(text)]
            if let since { parts.append("since=" + Self.formEncoded(since)) }
            if let channel { parts.append("channel=" + Self.formEncoded(channel)) }
            if page > 1 { parts.append("page=\(page)") }
            return base + "?" + parts.joined(separator: "&")
        }
        var page = WebTemplates.SearchPage(
            lang: try await language(reader, text), homeURL: reader.base + "/", feedURL: reader.base + "/feed.atom", searchURL: base,
            query: text.isEmpty ? nil : text, error: nil,
            ranges: Self.searchRanges.map { .init(label: $0.label, url: url(since: $0.since, channel: channel), current: $0.since == since) },
            channelName: nil, allChannelsURL: channel == nil ? nil : url(since: since, channel: nil),
            hits: [], first: 1, nextURL: nil, hasQuery: !text.isEmpty, hasHits: false, noHits: false)
        guard !text.isEmpty else { return html(try templates.search(page)) }
        let offset = (pageNumber - 1) * Self.searchPageSize
        let found: Result<PostSearch.Page, SearchError>
        do throws(SearchError) {
            guard (1...(PostSearch.maxOffset / Self.searchPageSize)).contains(pageNumber) else {
                throw .invalidArgument(argument: "page", reason: "expected 1…\(PostSearch.maxOffset / Self.searchPageSize)")
            }
            var sinceDate: Date?
            if let since { sinceDate = try SearchDates.since(since, now: now()) }
            found = .success(try await PostSearch(store: store).search(PostSearch.Request(
                userID: reader.userID, query: text, channel: channel, since: sinceDate, limit: Self.searchPageSize, offset: offset)))
        } catch {
            found = .failure(error)
        }
        switch found {
        case .success(let result):
            page.hits = result.hits.map { hit in
                .init(channel: hit.channel.displayName, channelURL: Self.channelURL(hit.channel.ref) ?? "#",
                      date: WebDates.human(hit.post.date) + " UTC", url: hit.post.url, parts: hit.snippet.parts)
            }
            page.channelName = channel == nil ? nil : result.hits.first?.channel.displayName ?? channel
            page.first = offset + 1
            page.hasHits = !page.hits.isEmpty
            page.noHits = page.hits.isEmpty
            if result.nextOffset != nil, pageNumber < PostSearch.maxOffset / Self.searchPageSize {
                page.nextURL = url(since: since, channel: channel, page: pageNumber + 1)
            }
            return html(try templates.search(page))
        case .failure(.invalidArgument(let argument, let reason)):
            // The page again, with the box still holding the query so it can be fixed.
            page.error = argument == "query" ? reason : "\(argument): \(reason)"
            return html(try templates.search(page), status: .badRequest)
        case .failure(.database(let message)):
            logger.warning("web reader: search failed", metadata: ["error": .string(message)])
            return notice(.serviceUnavailable, "Not available right now", "The search could not be made right now. Please try again.",
                          reader: reader)
        }
    }

    /// The fields of an HTML form's GET query (`+` is a space); the first value of a repeated name wins.
    static func formValues(_ query: String?) -> [String: String] {
        var out: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                let spaced = s.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            let name = decode(parts[0])
            if out[name] == nil { out[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return out
    }

    /// A value in a query string: everything but unreserved characters percent-encoded.
    static func formEncoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: formSafe) ?? ""
    }

    private static let formSafe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
}
