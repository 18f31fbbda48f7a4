/// A picture accepted for a document: header read, limits checked; its bytes are kept until its page is drawn.
final class ResolvedImage: Sendable {
    let info: PDFImageInfo
    let bytes: [UInt8]
    /// Equal bytes get equal identities, so a picture used twice is embedded once (cairo's unique-ID mime data).
    let identity: Int

    init(info: PDFImageInfo, bytes: [UInt8], identity: Int) {
        self.info = info
        self.bytes = bytes
        self.identity = identity
    }
}

/// The pictures of one document: asks the provider once per destination, checks each answer with
/// `PDFImageInfo.probe`, and records what was skipped and why.
final class ImageResolver {
    private let provider: any PDFImageProvider
    private(set) var skips: [PDFImageSkip] = []
    private var byDestination: [String: ResolvedImage?] = [:]
    private var byBytes: [ImageBytesKey: ResolvedImage] = [:]
    private var placed = 0

    init(provider: any PDFImageProvider) {
        self.provider = provider
    }

    /// The picture for `destination`, or nil (the skip is recorded) when its alt text must take its place.
    func resolve(_ destination: String) -> ResolvedImage? {
        guard placed < PDFLimits.maxImagesPerDocument else {
            skip(destination, .tooManyImages(limit: PDFLimits.maxImagesPerDocument))
            return nil
        }
        let image: ResolvedImage?
        if let known = byDestination[destination] {
            image = known
            if image == nil, let reason = skips.last(where: { $0.destination == destination })?.reason { skip(destination, reason) }
        } else {
            image = lookUp(destination)
            byDestination[destination] = image
        }
        if image != nil { placed += 1 }
        return image
    }

    func skip(_ destination: String, _ reason: PDFImageSkip.Reason) {
        skips.append(PDFImageSkip(destination: destination, reason: reason))
    }

    private func lookUp(_ destination: String) -> ResolvedImage? {
        switch provider.image(for: destination) {
        case .skipped(let reason):
            skip(destination, reason)
            return nil
        case .bytes(let bytes):
            let key = ImageBytesKey(bytes: bytes)
            if let known = byBytes[key] { return known }
            switch PDFImageInfo.probe(bytes) {
            case .failure(let reason):
                skip(destination, reason)
                return nil
            case .success(let info):
                let image = ResolvedImage(info: info, bytes: bytes, identity: byBytes.count + 1)
                byBytes[key] = image
                return image
            }
        }
    }
}

/// Picture bytes as a dictionary key: hashed by their length and their first and last 64 bytes (hashing every byte
/// of twenty photos would cost more than the rest of the lookup), compared in full.
struct ImageBytesKey: Hashable {
    let bytes: [UInt8]

    func hash(into hasher: inout Hasher) {
        hasher.combine(bytes.count)
        bytes.prefix(64).withUnsafeBytes { hasher.combine(bytes: $0) }
        bytes.suffix(64).withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
