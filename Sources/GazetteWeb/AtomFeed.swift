import Crypto
import Foundation
import GazetteCore
import Hummingbird
import HTTPTypes

/// `/u/<token>/feed.atom`: one entry per delivered digest (RFC 4287), the digest's HTML as the content and its PDF as
/// an enclosure. Entry ids are `urn:gazette:digest:<id>`, the archive's stable id, so a feed reader never shows a
/// digest twice; the feed id does not depend on the token, so rotating the token does not make a new feed.
/// Conditional GET: `ETag` (a hash of the entries and addresses) and `Last-Modified` (the newest entry), answered with 304.
extension WebReader {
    /// Entries in the feed (the newest delivered digests).
    static let feedEntries = 20

    func feed(_ reader: Reader, request: Request) async throws -> Response {
        let delivered = try await store.archivedDigests(userID: reader.userID, limit: Self.feedEntries)
        let lastModified = try await lastModified(reader, delivered)
        // The ETag names what the body is made of (entries, addresses, the template's version), so a feed reader's
        // repeated request is answered 304 before anything is rendered.
        let etag = Self.etag(reader, delivered, version: version)
        var headers = Self.privateHeaders
        headers[.eTag] = etag
        headers[.lastModified] = WebDates.http(lastModified)
        if Self.notModified(request, etag: etag, lastModified: lastModified) {
            return Response(status: .notModified, headers: headers)
        }
        let body = try feedXML(reader, delivered, lastModified: lastModified)
        headers[.contentType] = "application/atom+xml; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func etag(_ reader: Reader, _ delivered: [ArchivedDigest], version: String) -> String {
        var described = "atom1|\(version)|\(reader.origin)|\(reader.base)"
        for d in delivered { described += "|\(d.id):\(d.createdAt.timeIntervalSince1970):\(d.markdown.utf8.count)" }
        return "\"" + SHA256.hash(data: Data(described.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined() + "\""
    }

    /// The newest entry (whole seconds), or when the token was made for a feed without entries.
    func lastModified(_ reader: Reader, _ delivered: [ArchivedDigest]) async throws -> Date {
        var modified = delivered.map(\.createdAt).max()
        if modified == nil { modified = try await store.webToken(userID: reader.userID)?.createdAt }
        return Date(timeIntervalSince1970: (modified ?? Date(timeIntervalSince1970: 0)).timeIntervalSince1970.rounded(.down))
    }

    /// The feed for a user, without a request (`gazette-bench web`).
    public func feedXML(userID: Int64, token: String = "bench") async throws -> (xml: String, lastModified: Date) {
        let reader = Reader(userID: userID, base: "/u/\(token)", origin: "http://127.0.0.1")
        let delivered = try await store.archivedDigests(userID: userID, limit: Self.feedEntries)
        let lastModified = try await lastModified(reader, delivered)
        return (try feedXML(reader, delivered, lastModified: lastModified), lastModified)
    }

    /// The feed's body.
    func feedXML(_ reader: Reader, _ delivered: [ArchivedDigest], lastModified: Date) throws -> String {
        let base = reader.origin + reader.base
        var entries: [WebTemplates.Feed.Entry] = []
        for d in delivered {
            entries.append(.init(
                id: "urn:gazette:digest:\(d.id)", title: Self.entryTitle(d), published: WebDates.rfc3339(d.createdAt),
                updated: WebDates.rfc3339(d.createdAt), url: "\(base)/digests/\(d.id)", pdfURL: "\(base)/digests/\(d.id).pdf",
                summary: "\(Self.counts(d)), \(WebDates.human(d.since)) – \(WebDates.human(d.until)) UTC",
                html: try fragment(d.markdown, reader: reader, absolute: true) { ImageKey.url(ImageKey.key($0)) != nil }))
        }
        return try templates.feed(.init(
            feedID: "urn:gazette:digests:\(Self.feedKey(userID: reader.userID))", title: "Gazette digests",
            updated: WebDates.rfc3339(lastModified), version: version, selfURL: "\(base)/feed.atom", homeURL: "\(base)/",
            entries: entries))
    }

    /// RFC 9110 §13.1: `If-None-Match` wins over `If-Modified-Since` when both are sent.
    static func notModified(_ request: Request, etag: String, lastModified: Date) -> Bool {
        if let match = request.headers[.ifNoneMatch] {
            return match.split(separator: ",").contains { tag in
                let t = tag.trimmingCharacters(in: .whitespaces)
                return t == "*" || t == etag || t == "W/" + etag
            }
        }
        if let since = request.headers[.ifModifiedSince].flatMap(WebDates.parseHTTP) {
            return lastModified <= since
        }
        return false
    }

    /// A stable, opaque name for a user's feed (the feed id), not their Telegram id.
    static func feedKey(userID: Int64) -> String {
        SHA256.hash(data: Data("gazette-feed:\(userID)".utf8)).prefix(10).map { String(format: "%02x", $0) }.joined()
    }
}
