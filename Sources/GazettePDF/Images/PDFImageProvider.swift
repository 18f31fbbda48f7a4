/// Where the renderer gets the bytes of the pictures a document names (`![alt](destination)`).
///
/// The renderer itself never fetches anything (SPEC §6): a caller that wants pictures hands their bytes over through a
/// provider: local files (`LocalImageFiles`), a cache filled by a fetcher, bytes already in memory. Without a provider
/// an image is shown as the link `[image: alt]`, as before pictures existed.
public protocol PDFImageProvider: Sendable {
    /// The bytes of the image `destination` names, or nil when there is none; the renderer then shows the alt text
    /// (in italics) in its place and records a `PDFImageSkip` with the reason `.notProvided`.
    func imageBytes(for destination: String) -> [UInt8]?

    /// The bytes, or why there are none. The default asks `imageBytes(for:)` and says `.notProvided` for nil; a
    /// provider that knows better (a file over the byte cap) answers with its own reason.
    func image(for destination: String) -> PDFImageLookup
}

extension PDFImageProvider {
    public func image(for destination: String) -> PDFImageLookup {
        imageBytes(for: destination).map { .bytes($0) } ?? .skipped(.notProvided)
    }
}

/// A provider's answer for one destination.
public enum PDFImageLookup: Sendable, Equatable {
    case bytes([UInt8])
    case skipped(PDFImageSkip.Reason)
}

/// A picture the document names that is not in the PDF: its alt text took its place. Callers log and count these.
public struct PDFImageSkip: Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Error, Sendable, Equatable, CustomStringConvertible {
        /// The provider had no bytes (remote address not fetched, file missing, fetch failed).
        case notProvided
        /// More bytes than the limit (`PDFLimits.maxImageBytes` or the provider's own cap).
        case tooManyBytes(bytes: Int, limit: Int)
        /// The bytes are not JPEG, PNG or WebP (decided by their first bytes, never by a name or a header).
        case unsupportedType
        /// The bytes claim a supported type but cannot be decoded (truncated, damaged, impossible header).
        case corrupt(String)
        /// The image header declares more pixels than the limits; refused before anything is decoded.
        case tooManyPixels(width: Int, height: Int)
        /// A WebP that libwebp cannot decode here (an animation, a damaged stream).
        case webpUnavailable(String)
        /// The document names more pictures than `PDFLimits.maxImagesPerDocument`.
        case tooManyImages(limit: Int)

        /// A stable label for metrics (`…_skipped_total{reason=…}`).
        public var label: String {
            switch self {
            case .notProvided: "not_provided"
            case .tooManyBytes: "too_many_bytes"
            case .unsupportedType: "unsupported_type"
            case .corrupt: "corrupt"
            case .tooManyPixels: "too_many_pixels"
            case .webpUnavailable: "webp_unavailable"
            case .tooManyImages: "too_many_images"
            }
        }

        public var description: String {
            switch self {
            case .notProvided: "no image bytes were provided"
            case .tooManyBytes(let bytes, let limit): "the image is \(bytes) bytes; the limit is \(limit) bytes"
            case .unsupportedType: "not a JPEG, PNG or WebP image"
            case .corrupt(let why): "the image cannot be decoded: \(why)"
            case .tooManyPixels(let width, let height):
                "the image is \(width) × \(height) pixels; the limit is \(PDFLimits.maxImageSide) px per side and \(PDFLimits.maxImagePixels) pixels"
            case .webpUnavailable(let why): "the WebP image cannot be decoded: \(why)"
            case .tooManyImages(let limit): "the document has more than \(limit) images"
            }
        }
    }

    /// The image's destination as written in the markdown.
    public let destination: String
    public let reason: Reason

    public init(destination: String, reason: Reason) {
        self.destination = destination
        self.reason = reason
    }

    public var description: String { "\(destination): \(reason)" }
}
