import Foundation

/// 64-bit FNV-1a: a small, stable, non-cryptographic hash (Core imports no crypto library). Used for content
/// hashes, cache keys and derived feed item ids, where stability across processes matters and collisions are
/// harmless or confined to one channel.
public enum FNV1a {
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    public static func hash(_ text: String) -> UInt64 {
        var hash = offsetBasis
        for byte in text.utf8 { hash = mix(hash, byte) }
        return hash
    }

    @inline(__always)
    public static func mix(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* prime
    }

    /// Sixteen lowercase hex digits, written into one allocation (this runs once per stored post).
    public static func hex(_ hash: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            for i in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: hash >> UInt64(60 - 4 * i)) & 0xF
                buffer[i] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
            }
            return 16
        }
    }
}

/// Hash of a post's normalized text, for spotting the same text posted twice.
///
/// Normalization: Unicode NFKC, lowercased, every run of characters that are neither letters, digits nor emoji
/// collapsed to one space. The hash is FNV-1a over the UTF-8 bytes of the normalized text.
public enum ContentHash {
    /// Nil for posts without text (media-only posts are never deduplicated by content).
    ///
    /// Fast path: for text made only of scalars whose NFKC form, lowercase form and composition behaviour are
    /// known here (ASCII, basic Cyrillic, common punctuation and spaces, emoji blocks) the normalized bytes are
    /// hashed in one pass over the UTF-8 bytes without building strings; Foundation's normalization would cost
    /// far more than storing the post. Any other scalar sends the whole text through `viaNormalization`, and
    /// tests check that both give the same value on every scalar the fast path handles.
    public static func of(_ text: String) -> String? {
        var text = text
        switch text.withUTF8(fastHash) {
        case .hashed(let hash): return FNV1a.hex(hash)
        case .noText: return nil
        case .needsNormalization: return viaNormalization(text)
        }
    }

    private enum FastResult { case hashed(UInt64), noText, needsNormalization }

    /// The bytes are a Swift string's, so they are valid UTF-8 and multi-byte sequences need no checks.
    private static func fastHash(_ bytes: UnsafeBufferPointer<UInt8>) -> FastResult {
        var hash = FNV1a.offsetBasis
        var emitted = false
        var pendingSpace = false

        @inline(__always) func keep(_ v: UInt32) {
            if pendingSpace && emitted { hash = FNV1a.mix(hash, 0x20) }
            pendingSpace = false
            emitted = true
            switch v {
            case ..<0x80:
                hash = FNV1a.mix(hash, UInt8(v))
            case ..<0x800:
                hash = FNV1a.mix(hash, UInt8(0xC0 | v >> 6))
                hash = FNV1a.mix(hash, UInt8(0x80 | v & 0x3F))
            case ..<0x10000:
                hash = FNV1a.mix(hash, UInt8(0xE0 | v >> 12))
                hash = FNV1a.mix(hash, UInt8(0x80 | v >> 6 & 0x3F))
                hash = FNV1a.mix(hash, UInt8(0x80 | v & 0x3F))
            default:
                hash = FNV1a.mix(hash, UInt8(0xF0 | v >> 18))
                hash = FNV1a.mix(hash, UInt8(0x80 | v >> 12 & 0x3F))
                hash = FNV1a.mix(hash, UInt8(0x80 | v >> 6 & 0x3F))
                hash = FNV1a.mix(hash, UInt8(0x80 | v & 0x3F))
            }
        }

        var i = 0
        let count = bytes.count
        while i < count {
            let lead = UInt32(bytes[i])
            let v: UInt32
            switch lead {
            case ..<0x80:
                v = lead
                i += 1
            case ..<0xE0:
                v = (lead & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
                i += 2
            case ..<0xF0:
                v = (lead & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                i += 3
            default:
                v = (lead & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
                    | UInt32(bytes[i + 3] & 0x3F)
                i += 4
            }
            switch v {
            case 0x30...0x39, 0x61...0x7A:
                keep(v)
            case 0x41...0x5A:
                keep(v + 0x20)
            case 0x00...0x7F:
                pendingSpace = true
            case 0x0400...0x040F:
                keep(v + 0x50)
            case 0x0410...0x042F:
                keep(v + 0x20)
            case 0x0430...0x045F:
                keep(v)
            case 0x2116:
                // № is "No" under NFKC, so it hashes as the letters "no".
                keep(0x6E)
                keep(0x6F)
            case 0x00A0, 0x00A9, 0x00AB, 0x00AE, 0x00B0, 0x00BB, 0x00D7, 0x2000...0x200D, 0x2010...0x2027, 0x202F,
                 0x2030...0x2032, 0x2039, 0x203A, 0x2060, 0x20AC, 0x20BD, 0xFE0F:
                // Spaces, dashes, quotes, bullets, ellipsis, joiners: separators before and after NFKC.
                pendingSpace = true
            case 0x2600...0x27BF, 0x1F1E6...0x1F1FF, 0x1F300...0x1F5FF, 0x1F600...0x1F64F, 0x1F680...0x1F6FF,
                 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF:
                // Symbols and emoji: no decomposition, no case, no composition; classified like `normalize`.
                if let scalar = Unicode.Scalar(v), keeps(scalar) { keep(v) } else { pendingSpace = true }
            default:
                return .needsNormalization
            }
        }
        return emitted ? .hashed(hash) : .noText
    }

    /// The reference definition: normalize with Foundation, then hash.
    public static func viaNormalization(_ text: String) -> String? {
        let normalized = normalize(text)
        return normalized.isEmpty ? nil : FNV1a.hex(FNV1a.hash(normalized))
    }

    public static func normalize(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased()
        var out = ""
        out.reserveCapacity(folded.utf8.count)
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            if keeps(scalar) {
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingSpace = true
            }
        }
        return out
    }

    private static func keeps(_ scalar: Unicode.Scalar) -> Bool {
        let p = scalar.properties
        return p.isAlphabetic || p.numericType != nil || p.isEmojiPresentation
    }
}
