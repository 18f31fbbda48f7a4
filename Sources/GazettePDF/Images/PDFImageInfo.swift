import CWebP

/// The picture formats the renderer accepts.
public enum PDFImageFormat: String, Sendable, Equatable, CaseIterable {
    case jpeg, png, webp

    /// The type from the first bytes (magic numbers); names, extensions and HTTP headers are never trusted.
    public static func sniff<C: Collection>(_ bytes: C) -> PDFImageFormat? where C.Element == UInt8 {
        let head = Array(bytes.prefix(12))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.count == 12, head.starts(with: Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { return .webp }
        return nil
    }

    /// The media type for HTTP and the markdown digest's consumers.
    public var mediaType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        }
    }
}

/// What the header of an image says, read without decoding a pixel: type, size, and whether the renderer can use it.
/// `probe` is what the renderer runs on every image before anything else; fetchers can run the same check.
public struct PDFImageInfo: Sendable, Equatable {
    public let format: PDFImageFormat
    public let width: Int
    public let height: Int
    /// JPEG only: colour components (1 grey, 3 YCbCr/RGB, 4 CMYK) and whether the file can go into the PDF as it is
    /// (baseline or progressive Huffman, 8 bits: what PDF's DCTDecode reads).
    public let jpegComponents: Int
    let jpegPassThrough: Bool
    /// WebP only: lossy (VP8) without alpha, i.e. a photo.
    let webpOpaqueLossy: Bool

    /// Checks type, limits and structure: the size from the header is refused before any pixel is allocated, and a
    /// file cut short (no JPEG end marker, no PNG `IEND`, a short RIFF) is refused as corrupt.
    public static func probe(_ bytes: [UInt8]) -> Result<PDFImageInfo, PDFImageSkip.Reason> {
        guard bytes.count <= PDFLimits.maxImageBytes else {
            return .failure(.tooManyBytes(bytes: bytes.count, limit: PDFLimits.maxImageBytes))
        }
        let result: Result<PDFImageInfo, PDFImageSkip.Reason>
        switch PDFImageFormat.sniff(bytes) {
        case nil: return .failure(.unsupportedType)
        case .jpeg: result = jpeg(bytes)
        case .png: result = png(bytes)
        case .webp: result = webp(bytes)
        }
        guard case .success(let info) = result else { return result }
        guard info.width > 0, info.height > 0 else { return .failure(.corrupt("the header declares an empty image")) }
        guard info.width <= PDFLimits.maxImageSide, info.height <= PDFLimits.maxImageSide,
              info.width * info.height <= PDFLimits.maxImagePixels else {
            return .failure(.tooManyPixels(width: info.width, height: info.height))
        }
        return result
    }

    // MARK: JPEG

    private static func jpeg(_ bytes: [UInt8]) -> Result<PDFImageInfo, PDFImageSkip.Reason> {
        var offset = 2
        var frame: (marker: UInt8, precision: Int, width: Int, height: Int, components: Int)?
        while true {
            guard offset + 4 <= bytes.count else { return .failure(.corrupt("the JPEG ends inside its header")) }
            guard bytes[offset] == 0xFF else { return .failure(.corrupt("a JPEG marker was expected at byte \(offset)")) }
            var marker = bytes[offset + 1]
            while marker == 0xFF, offset + 2 < bytes.count {  // fill bytes
                offset += 1
                marker = bytes[offset + 1]
            }
            offset += 2
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { continue }  // markers without a length
            guard offset + 2 <= bytes.count else { return .failure(.corrupt("the JPEG ends inside its header")) }
            let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
            guard length >= 2, offset + length <= bytes.count else { return .failure(.corrupt("a JPEG segment runs past the end")) }
            if [0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF].contains(marker) {
                guard length >= 8 else { return .failure(.corrupt("the JPEG frame header is too short")) }
                let segment = offset + 2
                frame = (marker, Int(bytes[segment]),
                         Int(bytes[segment + 3]) << 8 | Int(bytes[segment + 4]),
                         Int(bytes[segment + 1]) << 8 | Int(bytes[segment + 2]),
                         Int(bytes[segment + 5]))
            }
            if marker == 0xDA { break }  // start of scan: the compressed data follows
            if marker == 0xD9 { return .failure(.corrupt("the JPEG has no image data")) }
            offset += length
        }
        guard let frame else { return .failure(.corrupt("the JPEG has no frame header")) }
        // Entropy-coded data never contains FF D9 (an FF there is followed by 00 or a restart marker), so an end
        // marker after the first scan means the file is whole.
        var end = bytes.count - 2
        var whole = false
        while end > offset {
            if bytes[end] == 0xFF, bytes[end + 1] == 0xD9 { whole = true; break }
            end -= 1
        }
        guard whole else { return .failure(.corrupt("the JPEG is cut short (no end marker)")) }
        // Huffman-coded (baseline, extended, progressive) or arithmetic-coded, 8 bits: what libjpeg-turbo reads.
        guard [0xC0, 0xC1, 0xC2, 0xC9, 0xCA].contains(frame.marker), frame.precision == 8,
              [1, 3, 4].contains(frame.components) else { return .failure(.unsupportedType) }
        // Into the PDF as it is: what PDF's DCTDecode reads. CMYK is re-encoded as RGB: such files (Adobe's) store
        // inverted values, which cairo does not mark with a /Decode array.
        let passThrough = [0xC0, 0xC1, 0xC2].contains(frame.marker) && [1, 3].contains(frame.components)
        return .success(PDFImageInfo(format: .jpeg, width: frame.width, height: frame.height,
                                     jpegComponents: frame.components, jpegPassThrough: passThrough, webpOpaqueLossy: false))
    }

    // MARK: PNG

    private static func png(_ bytes: [UInt8]) -> Result<PDFImageInfo, PDFImageSkip.Reason> {
        // Signature (8), then IHDR: length 13, "IHDR", width, height, …
        guard bytes.count >= 33, Array(bytes[12..<16]) == Array("IHDR".utf8) else {
            return .failure(.corrupt("the PNG has no IHDR header"))
        }
        let width = bigEndian32(bytes, 16), height = bigEndian32(bytes, 20)
        guard width <= Int(Int32.max), height <= Int(Int32.max) else { return .failure(.corrupt("impossible PNG size")) }
        // Walk the chunks: each must fit and carry a correct CRC, and the last must be IEND.
        var offset = 8
        var sawEnd = false
        while offset + 12 <= bytes.count {
            let length = bigEndian32(bytes, offset)
            guard length <= bytes.count - offset - 12 else { return .failure(.corrupt("a PNG chunk runs past the end")) }
            let stored = UInt32(bigEndian32(bytes, offset + 8 + length))
            guard CRC32.checksum(bytes[(offset + 4)..<(offset + 8 + length)]) == stored else {
                return .failure(.corrupt("a PNG chunk has a wrong checksum"))
            }
            if Array(bytes[(offset + 4)..<(offset + 8)]) == Array("IEND".utf8) { sawEnd = true; break }
            offset += 12 + length
        }
        guard sawEnd else { return .failure(.corrupt("the PNG is cut short (no IEND)")) }
        return .success(PDFImageInfo(format: .png, width: width, height: height, jpegComponents: 0,
                                     jpegPassThrough: false, webpOpaqueLossy: false))
    }

    // MARK: WebP

    private static func webp(_ bytes: [UInt8]) -> Result<PDFImageInfo, PDFImageSkip.Reason> {
        let riffSize = Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24
        guard riffSize + 8 <= bytes.count else { return .failure(.corrupt("the WebP is cut short")) }
        var features = WebPBitstreamFeatures()
        let status = bytes.withUnsafeBufferPointer { WebPGetFeatures($0.baseAddress, $0.count, &features) }
        guard status == VP8_STATUS_OK else {
            return .failure(status == VP8_STATUS_UNSUPPORTED_FEATURE ? .webpUnavailable("an unsupported WebP feature")
                            : .corrupt("the WebP header cannot be read"))
        }
        guard features.has_animation == 0 else { return .failure(.webpUnavailable("animated WebP is not supported")) }
        return .success(PDFImageInfo(format: .webp, width: Int(features.width), height: Int(features.height), jpegComponents: 0,
                                     jpegPassThrough: false, webpOpaqueLossy: features.has_alpha == 0 && features.format == 1))
    }

    private static func bigEndian32(_ bytes: [UInt8], _ offset: Int) -> Int {
        Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
    }
}

/// CRC-32 (ISO 3309, as PNG uses it).
enum CRC32 {
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { table in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
