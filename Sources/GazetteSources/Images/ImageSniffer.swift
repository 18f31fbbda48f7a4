import GazetteCore

/// What the first bytes of a picture say: its format (by signature, never by the server's `Content-Type`) and its
/// pixel size (from the header, without decoding a pixel).
public struct ImageHeader: Sendable, Hashable {
    public var format: ImageFormat
    public var width: Int
    public var height: Int
}

public enum ImageSniffer {
    /// The format and size, `.unsupportedType` for anything that is not JPEG, PNG or WebP, `.corrupt` for a known
    /// signature with a header that cannot be read.
    public static func inspect(_ bytes: some RandomAccessCollection<UInt8>) -> Result<ImageHeader, ImageLoadFailure> {
        let b = Array(bytes.prefix(256 * 1024))
        if b.starts(with: [0xFF, 0xD8, 0xFF]) { return jpeg(b) }
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return png(b) }
        if b.count >= 12, b[0..<4].elementsEqual(Array("RIFF".utf8)), b[8..<12].elementsEqual(Array("WEBP".utf8)) { return webp(b) }
        return .failure(ImageLoadFailure(.unsupportedType, "not a JPEG, PNG or WebP picture"))
    }

    private static func corrupt(_ what: String) -> Result<ImageHeader, ImageLoadFailure> {
        .failure(ImageLoadFailure(.corrupt, what))
    }

    private static func be16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) << 8 | Int(b[i + 1]) }
    private static func be32(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
    private static func le16(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
    private static func le24(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16 }

    /// Walks the marker segments up to the first start-of-frame (SOF0…SOF15 except DHT, JPG and DAC).
    private static func jpeg(_ b: [UInt8]) -> Result<ImageHeader, ImageLoadFailure> {
        var i = 2
        while i + 3 < b.count {
            guard b[i] == 0xFF else { return corrupt("a JPEG marker is missing at byte \(i)") }
            let marker = b[i + 1]
            if marker == 0xFF { i += 1; continue }  // fill byte
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
            if marker == 0xD9 || marker == 0xDA { break }  // end of image, or scan data before any frame header
            let length = be16(b, i + 2)
            guard length >= 2 else { return corrupt("a JPEG segment has length \(length)") }
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard i + 9 < b.count else { break }
                let height = be16(b, i + 5), width = be16(b, i + 7)
                guard width > 0, height > 0 else { return corrupt("the JPEG frame header says \(width)×\(height)") }
                return .success(ImageHeader(format: .jpeg, width: width, height: height))
            }
            i += 2 + length
        }
        return corrupt("no JPEG frame header in the first bytes")
    }

    private static func png(_ b: [UInt8]) -> Result<ImageHeader, ImageLoadFailure> {
        guard b.count >= 24, b[12..<16].elementsEqual(Array("IHDR".utf8)) else { return corrupt("the PNG has no IHDR chunk") }
        let width = be32(b, 16), height = be32(b, 20)
        guard width > 0, height > 0 else { return corrupt("the PNG header says \(width)×\(height)") }
        return .success(ImageHeader(format: .png, width: width, height: height))
    }

    /// Lossy (`VP8 `), lossless (`VP8L`) and extended (`VP8X`) WebP.
    private static func webp(_ b: [UInt8]) -> Result<ImageHeader, ImageLoadFailure> {
        guard b.count >= 30 else { return corrupt("the WebP header is cut short") }
        let chunk = String(decoding: b[12..<16], as: UTF8.self)
        var width = 0, height = 0
        switch chunk {
        case "VP8X":
            width = le24(b, 24) + 1
            height = le24(b, 27) + 1
        case "VP8L":
            guard b[20] == 0x2F else { return corrupt("the lossless WebP signature is wrong") }
            let bits = Int(b[21]) | Int(b[22]) << 8 | Int(b[23]) << 16 | Int(b[24]) << 24
            width = (bits & 0x3FFF) + 1
            height = ((bits >> 14) & 0x3FFF) + 1
        case "VP8 ":
            guard b[23] == 0x9D, b[24] == 0x01, b[25] == 0x2A else { return corrupt("the lossy WebP start code is wrong") }
            width = le16(b, 26) & 0x3FFF
            height = le16(b, 28) & 0x3FFF
        default:
            return corrupt("unknown WebP chunk '\(chunk)'")
        }
        guard width > 0, height > 0 else { return corrupt("the WebP header says \(width)×\(height)") }
        return .success(ImageHeader(format: .webp, width: width, height: height))
    }
}
