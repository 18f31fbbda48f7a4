import Foundation
import GazetteCore
import GazetteDigest
import Hummingbird
import HTTPTypes
import Logging

/// The store roles the web reader reads: the reader's token, channels, language and delivered digests, and search.
public typealias WebStore = ChannelStore & ReaderStore & DigestArchiveStore & WebTokenStore & SearchStore

/// Pictures for the web reader: the digest's picture URLs become `/u/<token>/img/<key>`, served from the image cache,
/// so a reader's browser never contacts a CDN.
public protocol WebImageSource: Sendable {
    /// Loads the pictures `markdown` names into the image cache (from it, else fetched within the image limits) and
    /// returns the URLs that can be served; the others are shown as their alt text.
    func prepare(markdown: String) async -> Set<String>
    /// A cached picture's bytes and media type; nil when it is not (or no longer) cached. Never fetches.
    func image(url: String) async -> (data: Data, contentType: String)?
}

/// `/img/<key>`: the key is the picture's URL as URL-safe base64, so the cache (keyed by URL) answers without another
/// table; only pictures already in the cache are served, so the route never makes the server fetch anything.
enum ImageKey {
    static func key(_ url: String) -> String {
        Data(url.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func url(_ key: String) -> String? {
        guard !key.isEmpty, key.utf8.count <= 2800 else { return nil }
        var base64 = key.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let url = String(data: data, encoding: .utf8),
              url.hasPrefix("https://") || url.hasPrefix("http://") || AccountPicture.remoteFileID(in: url) != nil else { return nil }
        return url
    }
}

/// `/u/<token>/…`: a reader's pages (their digests and channels, a fresh digest as HTML or PDF, delivered digests)
/// and their Atom feed. A wrong or malformed token is answered exactly like an unknown path (404), and the token is
/// never written anywhere: routes are recorded by pattern (`/u/{token}/…`), spans by the redacted path.
public struct WebReader: Sendable {
    let store: any WebStore
    let digests: any DigestBuilding & DigestRendering
    let templates: WebTemplates
    let images: (any WebImageSource)?
    let version: String
    let maxHours: Int
    let logger: Logger
    let now: @Sendable () -> Date

    /// Delivered digests listed on the home page and in the feed.
    public static let recentDigests = 30
    static let maxChannelsShown = 200
    static let windows = [(24, "Last 24 h"), (72, "3 days"), (168, "7 days")]

    public init(store: any WebStore, digests: any DigestBuilding & DigestRendering, images: (any WebImageSource)? = nil, version: String,
                maxHours: Int = 168, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) throws(WebError) {
        self.store = store
        self.digests = digests
        self.templates = try WebTemplates()
        self.images = images
        self.version = version
        self.maxHours = maxHours
        self.logger = logger
        self.now = now
    }

    public func add<Context: RequestContext>(to router: Router<Context>) {
        let web = self
        router.get("/u/:token") { request, context in try await web.answer(request, context) { try await web.home($0) } }
        router.get("/u/:token/digest") { request, context in
            try await web.answer(request, context) { try await web.freshDigest($0, request: request) }
        }
        router.get("/u/:token/digest.pdf") { request, context in
            try await web.answer(request, context) { try await web.freshPDF($0, request: request) }
        }
        router.get("/u/:token/digests/:entry") { request, context in
            try await web.answer(request, context) { try await web.archived($0, entry: context.parameters.get("entry") ?? "") }
        }
        router.get("/u/:token/feed.atom") { request, context in
            try await web.answer(request, context) { try await web.feed($0, request: request) }
        }
        router.get("/u/:token/search") { request, context in
            try await web.answer(request, context) { try await web.search($0, request: request) }
        }
        router.get("/u/:token/img/:key") { request, context in
            try await web.answer(request, context) { try await web.image($0, key: context.parameters.get("key") ?? "") }
        }
    }

    /// Whose pages a request is for.
    struct Reader {
        var userID: Int64
        /// `/u/<token>`: every link on a page starts with it.
        var base: String
        /// `http://host` as the request named it (for the feed's absolute links).
        var origin: String
    }

    /// Checks the token, then runs `page`. Errors become pages that say what is wrong; nothing here is a 500 that
    /// a client could provoke.
    func answer<Context: RequestContext>(_ request: Request, _ context: Context,
                                         _ page: (Reader) async throws -> Response) async throws -> Response {
        guard let token = context.parameters.get("token"), WebToken.isWellFormed(Substring(token)) else { throw HTTPError(.notFound) }
        let userID: Int64
        do {
            guard let found = try await store.webTokenUser(tokenHash: WebToken.hash(token)) else { throw HTTPError(.notFound) }
            userID = found
        } catch let error as HTTPError {
            throw error
        } catch {
            logger.warning("web reader: token lookup failed", metadata: ["error": .string(String(describing: error))])
            return notice(.serviceUnavailable, "Not available right now", "The database did not answer. Please try again in a minute.")
        }
        let reader = Reader(userID: userID, base: "/u/\(token)", origin: Self.origin(request))
        do {
            return try await page(reader)
        } catch let error as HTTPError {
            throw error
        } catch let error as WebPageError {
            return notice(error.status, error.heading, error.message, reader: reader)
        } catch let error as DigestError {
            switch error {
            case .invalidArgument(let name, let reason):
                return notice(.badRequest, "Cannot show this digest", "\(name): \(reason)", reader: reader)
            default:
                logger.warning("web reader: digest failed", metadata: ["error": .string(error.description)])
                return notice(.serviceUnavailable, "Not available right now",
                              "The digest could not be made right now. Please try again in a few minutes.", reader: reader)
            }
        } catch {
            logger.warning("web reader: page failed", metadata: ["error": .string(String(describing: error))])
            return notice(.serviceUnavailable, "Not available right now", "This page could not be made right now. Please try again.",
                          reader: reader)
        }
    }

    // MARK: Pages

    func home(_ reader: Reader) async throws -> Response {
        let delivered = try await store.archivedDigests(userID: reader.userID, limit: Self.recentDigests)
        let total = try await store.subscriptionCount(userID: reader.userID)
        let subscriptions = try await store.subscriptions(userID: reader.userID, limit: Self.maxChannelsShown)
        let page = WebTemplates.HomePage(
            homeURL: reader.base + "/", feedURL: reader.base + "/feed.atom", searchURL: reader.base + "/search", windows: windows(reader),
            pdfURL: reader.base + "/digest.pdf?hours=24",
            digests: delivered.map { d in
                .init(title: Self.entryTitle(d), url: "\(reader.base)/digests/\(d.id)", pdfURL: "\(reader.base)/digests/\(d.id).pdf",
                      window: "\(WebDates.human(d.since)) – \(WebDates.human(d.until)) UTC", counts: Self.counts(d))
            },
            channels: subscriptions.map { s in
                .init(name: s.channel.displayName, url: Self.channelURL(s.channel.ref) ?? "#channels", detail: Self.channelDetail(s))
            },
            moreChannels: total > subscriptions.count ? total - subscriptions.count : nil)
        return html(try templates.home(page))
    }

    func freshDigest(_ reader: Reader, request: Request) async throws -> Response {
        html(try await digestPage(reader, hours: try hoursParameter(request)))
    }

    /// The page of a fresh digest: the digest (the same as the PDF's), as HTML, in the page template.
    func digestPage(_ reader: Reader, hours: Int) async throws -> String {
        let markdown = try await digests.markdownDigest(userID: reader.userID, hours: hours, now: now())
        let served = await images?.prepare(markdown: markdown) ?? []
        let page = WebTemplates.DigestPage(
            lang: try await language(reader, markdown), homeURL: reader.base + "/", feedURL: reader.base + "/feed.atom",
            searchURL: reader.base + "/search", title: Self.title(of: markdown) ?? "Gazette digest", windows: windows(reader),
            pdfURL: "\(reader.base)/digest.pdf?hours=\(hours)", note: imageNote,
            html: try fragment(markdown, reader: reader, absolute: false) { served.contains($0) })
        return try templates.digest(page)
    }

    /// `digestPage` for a user, without a request (`gazette-bench web`): what `/u/<token>/digest?hours=` answers.
    public func digestPageHTML(userID: Int64, hours: Int, token: String = "bench") async throws -> String {
        try await digestPage(Reader(userID: userID, base: "/u/\(token)", origin: "http://127.0.0.1"), hours: hours)
    }

    func freshPDF(_ reader: Reader, request: Request) async throws -> Response {
        let hours = try hoursParameter(request)
        let document = try await digests.pdf(userID: reader.userID, hours: hours, now: now(), progress: nil)
        return pdf(document.data, fileName: "gazette-digest-\(WebDates.day(now())).pdf")
    }

    /// `/digests/<id>` (the page) or `/digests/<id>.pdf`.
    func archived(_ reader: Reader, entry: String) async throws -> Response {
        let isPDF = entry.hasSuffix(".pdf")
        guard let id = Int64(isPDF ? String(entry.dropLast(4)) : entry), id > 0,
              let digest = try await store.archivedDigest(userID: reader.userID, id: id) else { throw HTTPError(.notFound) }
        if isPDF {
            let document = try await digests.render(markdown: digest.markdown, title: digest.title, author: "Gazette", date: digest.until)
            return pdf(document.data, fileName: "gazette-digest-\(digest.period).pdf")
        }
        let served = await images?.prepare(markdown: digest.markdown) ?? []
        let page = WebTemplates.DigestPage(
            lang: try await language(reader, digest.markdown), homeURL: reader.base + "/", feedURL: reader.base + "/feed.atom",
            searchURL: reader.base + "/search", title: Self.entryTitle(digest), windows: windows(reader), pdfURL: "\(reader.base)/digests/\(digest.id).pdf", note: imageNote,
            html: try fragment(digest.markdown, reader: reader, absolute: false) { served.contains($0) })
        return html(try templates.digest(page))
    }

    func image(_ reader: Reader, key: String) async throws -> Response {
        guard let images, let url = ImageKey.url(key), let found = await images.image(url: url) else { throw HTTPError(.notFound) }
        var headers = Self.privateHeaders
        headers[.contentType] = found.contentType
        headers[.cacheControl] = "private, max-age=86400"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: found.data)))
    }

    // MARK: Parts

    func windows(_ reader: Reader) -> [WebTemplates.Link] {
        Self.windows.filter { $0.0 <= maxHours }.map { WebTemplates.Link(label: $0.1, url: "\(reader.base)/digest?hours=\($0.0)") }
    }

    /// `hours` of the query: a whole number (the digest checks the range and says it when it is wrong).
    func hoursParameter(_ request: Request) throws -> Int {
        guard let raw = request.uri.queryParameters.get("hours") else { return 24 }
        guard let hours = Int(raw) else {
            throw WebPageError(status: .badRequest, heading: "Cannot show this digest",
                               message: "hours: expected a whole number of hours in 1…\(maxHours), got '\(raw.prefix(20))'")
        }
        return hours
    }

    /// The digest as HTML; pictures through `/u/<token>/img/<key>` when `served` says the image cache has them (an
    /// http(s) picture in the feed is linked without asking: a feed reader loads it later, from the cache or not at all).
    func fragment(_ markdown: String, reader: Reader, absolute: Bool,
                  served: @escaping (String) -> Bool) throws(WebError) -> String {
        let prefix = (absolute ? reader.origin : "") + reader.base + "/img/"
        guard images != nil else { return try DigestHTML.fragment(markdown: markdown) }
        return try DigestHTML.fragment(markdown: markdown) { url in served(url) ? prefix + ImageKey.key(url) : nil }
    }

    var imageNote: String? {
        images == nil ? "Pictures are shown as their descriptions: this server has no image cache." : nil
    }

    func language(_ reader: Reader, _ markdown: String) async throws -> String {
        if let chosen = try await store.readerLanguage(userID: reader.userID) { return chosen }
        return DigestLanguage.detect([markdown]) == .russian ? "ru" : "en"
    }

    /// The text of the markdown's first `# ` heading, unescaped.
    static func title(of markdown: String) -> String? {
        guard let line = markdown.split(separator: "\n", maxSplits: 8).first(where: { $0.hasPrefix("# ") }) else { return nil }
        var out = ""
        var escaped = false
        for c in line.dropFirst(2) {
            if c == "\\", !escaped { escaped = true; continue }
            escaped = false
            out.append(c)
        }
        return out.trimmingCharacters(in: .whitespaces)
    }

    /// `1 channel · 12 posts`.
    static func counts(_ d: ArchivedDigest) -> String {
        "\(d.channels) channel\(d.channels == 1 ? "" : "s") · \(d.posts) post\(d.posts == 1 ? "" : "s")"
    }

    static func entryTitle(_ d: ArchivedDigest) -> String {
        title(of: d.markdown) ?? "\(d.title) — \(d.period)"
    }

    static func channelURL(_ ref: ChannelRef) -> String? {
        switch ref {
        case .telegram(let name): "https://t.me/s/\(name)"
        case .feed(let url): url.hasPrefix("http://") || url.hasPrefix("https://") ? url : nil
        case .botapi, .invite: nil
        }
    }

    static func channelDetail(_ s: SubscribedChannel) -> String? {
        var parts: [String] = []
        if s.channel.metadata.title != nil, s.channel.kind == .telegram, !s.channel.key.hasPrefix("+") { parts.append("@" + s.channel.key) }
        if s.lastError != nil { parts.append("last fetch failed") }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    /// `http://host:port` as the request was addressed (the feed's links must be absolute).
    static func origin(_ request: Request) -> String {
        let authority = request.head.authority ?? "127.0.0.1"
        let safe = authority.allSatisfy { $0.isLetter || $0.isNumber || ".-:[]_".contains($0) } ? authority : "127.0.0.1"
        let scheme = request.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https" ? "https" : "http"
        return "\(scheme)://\(safe)"
    }

    // MARK: Responses

    /// Every answer under `/u/`: no referrer (the URL holds the token), no caching by shared caches, no indexing, and
    /// a policy that allows no script and pictures only from this server.
    static let privateHeaders: HTTPFields = [
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        .cacheControl: "private, no-cache",
        HTTPField.Name("X-Robots-Tag")!: "noindex, nofollow",
        .xContentTypeOptions: "nosniff",
        .contentSecurityPolicy: "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ]

    func html(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = Self.privateHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    func pdf(_ data: Data, fileName: String) -> Response {
        var headers = Self.privateHeaders
        headers[.contentType] = "application/pdf"
        headers[.contentDisposition] = "inline; filename=\"\(fileName)\""
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    func notice(_ status: HTTPResponse.Status, _ heading: String, _ message: String, reader: Reader? = nil) -> Response {
        let page = WebTemplates.NoticePage(homeURL: reader.map { $0.base + "/" }, feedURL: nil, searchURL: reader.map { $0.base + "/search" },
                                           heading: heading, message: message)
        do {
            return html(try templates.notice(page), status: status)
        } catch {
            // The built-in template rendered in the tests; should it ever fail, the status still says what happened.
            return Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "\(heading): \(message)\n")))
        }
    }
}

/// A page that cannot be shown, with what to tell the reader.
struct WebPageError: Error {
    var status: HTTPResponse.Status
    var heading: String
    var message: String
}

/// Dates as the pages and the feed write them.
enum WebDates {
    static func human(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, locale: Locale(identifier: "en_GB"),
                                        timeZone: TimeZone(identifier: "UTC")!))
    }

    static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).year().month().day())
    }

    /// RFC 3339, as Atom wants it.
    static func rfc3339(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }

    /// An HTTP date (`Last-Modified`).
    static func http(_ date: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.string(from: date)
    }

    static func parseHTTP(_ text: String) -> Date? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return f.date(from: text)
    }
}
