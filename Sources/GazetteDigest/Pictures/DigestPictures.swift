import Foundation
import GazetteCore
import GazettePDF

/// The pictures a markdown document names, loaded before rendering (the renderer asks for bytes synchronously and never
/// fetches anything itself). Each destination is loaded once; a failure is kept with its reason, and the document is
/// rendered with the alt text in the picture's place.
public struct DigestPictures: Sendable {
    /// Destination (as written in the markdown) → the picture or why it is left out.
    public var loaded: [String: Result<CachedImage, ImageLoadFailure>]

    public init(loaded: [String: Result<CachedImage, ImageLoadFailure>] = [:]) {
        self.loaded = loaded
    }

    /// At most this many pictures are loaded for one document; the rest show their alt text.
    public static let maxPerDocument = 40

    /// The http(s) and user-account (`tdlib:`) destinations of the markdown's images (`![alt](destination)`), in order, each once. Written for the
    /// markdown Gazette writes (destinations without spaces or parentheses, `MarkdownText.escapeURL`) and tolerant of
    /// anything else: a destination it cannot read is simply not loaded (the renderer then shows the alt text).
    public static func destinations(in markdown: String) -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        var rest = Substring(markdown)
        while let bang = rest.range(of: "![") {
            rest = rest[bang.upperBound...]
            // The alt text ends at the first `](` (escaped brackets inside it are `\]`, never followed by `(`).
            guard let close = rest.range(of: "](") else { break }
            let afterParen = rest[close.upperBound...]
            guard let end = afterParen.firstIndex(where: { $0 == ")" || $0 == " " || $0.isNewline }) else { break }
            var destination = String(afterParen[..<end])
            if destination.hasPrefix("<"), destination.hasSuffix(">") { destination = String(destination.dropFirst().dropLast()) }
            rest = afterParen[end...]
            let lower = destination.lowercased()
            guard lower.hasPrefix("https://") || lower.hasPrefix("http://") || AccountPicture.remoteFileID(in: destination) != nil else {
                continue
            }
            if seen.insert(destination).inserted { out.append(destination) }
        }
        return out
    }

    /// Loads every picture the markdown names, `concurrency` at a time.
    /// `keepUntil` says how long each picture stays cached (when the newest post showing it expires).
    public static func load(markdown: String, loader: any ImageLoading, concurrency: Int = 4,
                            keepUntil: @Sendable (String) -> Date) async -> DigestPictures {
        let all = destinations(in: markdown)
        let wanted = Array(all.prefix(maxPerDocument))
        var loaded: [String: Result<CachedImage, ImageLoadFailure>] = [:]
        await withTaskGroup(of: (String, Result<CachedImage, ImageLoadFailure>).self) { group in
            var next = 0
            while next < min(max(1, concurrency), wanted.count) {
                let url = wanted[next]
                let until = keepUntil(url)
                group.addTask { (url, await loader.image(url: url, keepUntil: until)) }
                next += 1
            }
            for await (url, result) in group {
                loaded[url] = result
                if next < wanted.count {
                    let url = wanted[next]
                    let until = keepUntil(url)
                    group.addTask { (url, await loader.image(url: url, keepUntil: until)) }
                    next += 1
                }
            }
        }
        return DigestPictures(loaded: loaded)
    }

    /// Pictures shown (bytes in hand) and left out.
    public var shown: Int { loaded.values.filter { if case .success = $0 { true } else { false } }.count }
    public var skipped: [ImageLoadFailure] {
        loaded.values.compactMap { if case .failure(let f) = $0 { f } else { nil } }
    }
}

/// The loaded pictures are what the renderer draws: bytes for those in hand, the reason for the others (their alt text
/// is shown instead).
extension DigestPictures: PDFImageProvider {
    public func imageBytes(for destination: String) -> [UInt8]? {
        if case .success(let image)? = loaded[destination] { return [UInt8](image.bytes) }
        return nil
    }

    public func image(for destination: String) -> PDFImageLookup {
        switch loaded[destination] {
        case .success(let image)?: .bytes([UInt8](image.bytes))
        case .failure(let failure)?:
            switch failure.reason {
            case .unsupportedType: .skipped(.unsupportedType)
            case .corrupt: .skipped(.corrupt(failure.detail))
            default: .skipped(.notProvided)
            }
        case nil: .skipped(.notProvided)
        }
    }
}

extension DigestPictures {
    /// The renderer's own check of a picture's bytes (`PDFImageInfo.probe`: type, limits, structure) as an image-loader
    /// verdict, so a fetched picture the renderer would refuse is remembered as a failure instead of being cached.
    @Sendable public static func rendererCheck(_ bytes: Data) -> ImageLoadFailure? {
        switch PDFImageInfo.probe([UInt8](bytes)) {
        case .success: return nil
        case .failure(let reason):
            let label: ImageSkipReason = switch reason {
            case .tooManyBytes: .tooLarge
            case .unsupportedType, .webpUnavailable: .unsupportedType
            case .corrupt: .corrupt
            case .tooManyPixels: .tooManyPixels
            case .notProvided, .tooManyImages: .renderer
            }
            return ImageLoadFailure(label, reason.description)
        }
    }
}
