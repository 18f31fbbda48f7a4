import Foundation

/// Where one of a post's pictures lives (issue 16). Sources record references only; bytes are fetched when a digest
/// shows the picture (docs/DIGEST.md, "Pictures").
public struct ImageRef: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A photo of the post (one per album item).
        case photo
        /// The image of a link-preview card.
        case linkPreview = "link_preview"
        /// The still frame of a video.
        case videoThumbnail = "video_thumbnail"
        /// A feed item's image enclosure, `media:content` or `media:thumbnail`, or the first `<img>` of its body.
        case enclosure
        /// A channel's or account's photo.
        case accountPhoto = "account_photo"
    }

    public var kind: Kind
    /// An http(s) URL, when the picture has one (t.me previews, feeds).
    public var url: String?
    /// TDLib's remote file id (`file.remote.id`), for pictures read through the user account, which have no URL.
    public var remoteFileID: String?
    /// Pixel size when the source states it (TDLib's photo sizes); nil otherwise.
    public var width: Int?
    public var height: Int?

    public init(kind: Kind, url: String? = nil, remoteFileID: String? = nil, width: Int? = nil, height: Int? = nil) {
        self.kind = kind
        self.url = url
        self.remoteFileID = remoteFileID
        self.width = width
        self.height = height
    }

    private enum CodingKeys: String, CodingKey {
        case kind, url, remoteFileID = "remote_file_id", width, height
    }

    /// At most this many references a post (an album has at most 10 items; the rest are link previews and thumbnails).
    public static let maxPerPost = 20
    /// Longer references are dropped by the sources and refused by the stores.
    public static let maxURLLength = 2048

    /// How a digest names it: its http(s) URL, or for a photo read through the user account `tdlib:<remote file id>`
    /// (downloaded by the process that owns the account when a digest needs it: `AccountPicture`). Nil when it has
    /// neither.
    public var displayURL: String? {
        if let url, url.hasPrefix("https://") || url.hasPrefix("http://") { return url }
        return remoteFileID.flatMap(AccountPicture.url(remoteFileID:))
    }
}

/// A picture read through the Telegram user account has no URL: only TDLib, in the process that owns the account,
/// can download it (by its remote file id). Digests, the image cache and its download requests name it
/// `tdlib:<remote file id>`; any other renderer of a digest's markdown shows its alt text.
public enum AccountPicture {
    public static let scheme = "tdlib:"

    /// `tdlib:<id>`, nil for an id that is empty, longer than 1,024 characters or not TDLib's URL-safe base64.
    public static func url(remoteFileID id: String) -> String? {
        valid(id) ? scheme + id : nil
    }

    /// The remote file id a `tdlib:` name holds, nil for any other URL.
    public static func remoteFileID(in url: String) -> String? {
        guard url.hasPrefix(scheme) else { return nil }
        let id = String(url.dropFirst(scheme.count))
        return valid(id) ? id : nil
    }

    private static func valid(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 1024
            && id.utf8.allSatisfy { $0.isASCIILetterOrDigit || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }
}

private extension UInt8 {
    var isASCIILetterOrDigit: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}

/// A picture a digest needs that only the process owning the user account can download: a row that process picks up
/// (docs/SOURCES.md, "Pictures through the account").
public struct ImageRequest: Sendable, Hashable {
    /// `tdlib:<remote file id>`.
    public var url: String
    /// How long the picture is to stay cached once downloaded (when the newest post showing it expires).
    public var keepUntil: Date
    public var requestedAt: Date

    public init(url: String, keepUntil: Date, requestedAt: Date) {
        self.url = url
        self.keepUntil = keepUntil
        self.requestedAt = requestedAt
    }
}

extension Post {
    /// The first picture a digest can show: a photo first, then a video thumbnail, a link preview or an enclosure.
    public var firstPicture: ImageRef? {
        let order: [ImageRef.Kind] = [.photo, .enclosure, .videoThumbnail, .linkPreview]
        for kind in order {
            if let ref = images.first(where: { $0.kind == kind && $0.displayURL != nil }) { return ref }
        }
        return nil
    }
}

/// Image formats Gazette accepts, decided by sniffing the bytes (never by the server's `Content-Type`).
public enum ImageFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case jpeg, png, webp

    public var contentType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        }
    }

    public init?(contentType: String) {
        guard let format = Self.allCases.first(where: { $0.contentType == contentType }) else { return nil }
        self = format
    }
}

/// A fetched picture kept in the image cache, or the remembered reason it could not be used (so a broken picture is
/// not fetched again for every digest until the entry expires).
public struct CachedImage: Sendable, Hashable {
    public var url: String
    /// Nil for a remembered failure.
    public var format: ImageFormat?
    public var bytes: Data
    public var width: Int
    public var height: Int
    /// The `ImageSkipReason` raw value of a remembered failure.
    public var skipReason: String?
    public var fetchedAt: Date
    public var expiresAt: Date

    public init(url: String, format: ImageFormat?, bytes: Data, width: Int, height: Int, skipReason: String? = nil,
                fetchedAt: Date, expiresAt: Date) {
        self.url = url
        self.format = format
        self.bytes = bytes
        self.width = width
        self.height = height
        self.skipReason = skipReason
        self.fetchedAt = fetchedAt
        self.expiresAt = expiresAt
    }

    /// A remembered failure.
    public static func failure(url: String, reason: String, fetchedAt: Date, expiresAt: Date) -> CachedImage {
        CachedImage(url: url, format: nil, bytes: Data(), width: 0, height: 0, skipReason: reason, fetchedAt: fetchedAt,
                    expiresAt: expiresAt)
    }
}

/// How much a bounded cache in the database holds (the image cache, the summary cache): what its size gauges report.
public struct CacheSize: Sendable, Hashable {
    public var entries: Int
    public var bytes: Int64
    public init(entries: Int, bytes: Int64) {
        self.entries = entries
        self.bytes = bytes
    }
}

/// Why a picture was left out of a digest (its alt text stands in its place). The raw values are the `reason` label
/// of `image_skips_total` (docs/METRICS.md): a fixed set.
public enum ImageSkipReason: String, Sendable, Hashable, CaseIterable {
    /// The server answered a status other than 2xx.
    case httpError = "http_error"
    case timeout
    /// DNS, connection or TLS failure.
    case network
    /// More bytes than the byte cap (`--image-max-bytes`).
    case tooLarge = "too_large"
    /// Wider or taller than the pixel cap, read from the header.
    case tooManyPixels = "too_many_pixels"
    /// Not JPEG, PNG or WebP by its bytes, whatever the server said.
    case unsupportedType = "unsupported_type"
    /// A JPEG, PNG or WebP signature but a header that cannot be read.
    case corrupt
    /// A loopback or private address, refused by the address policy.
    case forbiddenAddress = "forbidden_address"
    /// Not an http(s) URL (nor a picture of the user account).
    case invalidURL = "invalid_url"
    /// A picture of the user account while no process owns a logged-in account to download it.
    case accountUnavailable = "account_unavailable"
    /// The renderer could not use the bytes it was given.
    case renderer
}

/// Pictures by URL, from the cache or fetched: what the digest pipeline asks when a digest shows pictures.
/// `ImageLoader` (GazetteSources) is the implementation.
public protocol ImageLoading: Sendable {
    /// The picture at `url`, or why it cannot be used. `keepUntil` is when the newest post showing it expires
    /// (the cache entry lives as long). Never throws: a broken picture is a skip, not a failure of the digest.
    func image(url: String, keepUntil: Date) async -> Result<CachedImage, ImageLoadFailure>
    /// The renderer could not use bytes the loader accepted (counted as a skip with reason `renderer`).
    func rendererRefused(url: String, reason: String) async
    /// Upkeep after a document's pictures were loaded: expired and surplus cache entries go, size metrics update.
    func maintain() async
}

extension ImageLoading {
    public func rendererRefused(url: String, reason: String) async {}
    public func maintain() async {}
}

/// A picture that cannot be shown, with the reason label and a message for the log.
public struct ImageLoadFailure: Error, Sendable, Hashable {
    public var reason: ImageSkipReason
    public var detail: String
    public init(_ reason: ImageSkipReason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }
}
