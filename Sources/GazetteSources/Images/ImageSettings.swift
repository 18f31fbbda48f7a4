import Foundation
import GazetteCore

/// Limits of fetching pictures for digests (issue 16; docs/DIGEST.md, "Pictures").
public struct ImageSettings: Sendable, Equatable {
    /// Bytes read at most; reading stops at the cap (`--image-max-bytes`, default 5 MB).
    public var maxBytes: Int = 5 * 1024 * 1024
    /// Pixels (width × height) at most, read from the header before anything is decoded; the renderer's own limit
    /// (`PDFLimits.maxImagePixels`, 4096 × 4096), so nothing is fetched that it would refuse.
    public var maxPixels: Int = 4096 * 4096
    /// Neither side longer than this: the renderer's `PDFLimits.maxImageSide`.
    public var maxSide: Int = 8192
    public var connectTimeout: TimeInterval = 5
    /// The whole request, body included (`--image-timeout`, default 10 s).
    public var totalTimeout: TimeInterval = 10
    /// Requests in flight per host.
    public var hostConcurrency: Int = 2
    /// Loopback and private addresses allowed (`GAZETTE_ALLOW_PRIVATE_SOURCES`, as for feeds).
    public var allowPrivate: Bool = false
    /// The image cache keeps at most this many bytes of pictures (`--image-cache-max-bytes`, default 200 MB).
    public var cacheMaxBytes: Int64 = 200 * 1024 * 1024
    /// How long a picture that could not be used is remembered before it is tried again.
    public var failureTTL: TimeInterval = 3600

    public init() {}

    /// The byte cap, the format decided by the bytes and the pixel caps on a picture already in hand (a fetched body, a
    /// file TDLib downloaded for the user account).
    public func check(_ bytes: Data) -> Result<(bytes: Data, header: ImageHeader), ImageLoadFailure> {
        guard bytes.count <= maxBytes else {
            return .failure(ImageLoadFailure(.tooLarge, "\(bytes.count) bytes is over the \(maxBytes)-byte cap"))
        }
        switch ImageSniffer.inspect(bytes) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let header):
            guard header.width <= maxSide, header.height <= maxSide, header.width * header.height <= maxPixels else {
                return .failure(ImageLoadFailure(.tooManyPixels, "\(header.width)×\(header.height) pixels is over the cap"))
            }
            return .success((bytes, header))
        }
    }

    var http: HTTPSettings {
        var s = HTTPSettings()
        s.connectTimeout = connectTimeout
        s.totalTimeout = totalTimeout
        s.maxResponseBytes = maxBytes
        s.hostConcurrency = hostConcurrency
        s.allowPrivateSources = allowPrivate
        s.maxRetryAfterWait = 0
        return s
    }
}
