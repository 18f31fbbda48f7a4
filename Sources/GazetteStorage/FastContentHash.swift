import GazetteCore

/// `ContentHash.of` with a fast path: for text made only of scalars whose NFKC form, lowercase form and
/// composition behaviour are known here (ASCII, basic Cyrillic, common punctuation and spaces, emoji blocks),
/// the normalized bytes are hashed in one pass without building strings. Any other scalar (combining marks,
/// compatibility letters such as `№`, other scripts) sends the whole text to `ContentHash.of`.
/// The result is always identical to `ContentHash.of` (tests compare both); only the speed differs —
/// the Foundation normalization costs far more than inserting the row.
enum FastContentHash {
    static func of(_ text: String) -> String? {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var emitted = false
        var pendingSpace = false

        @inline(__always) func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        @inline(__always) func keep(_ scalar: Unicode.Scalar) {
            if pendingSpace && emitted { mix(0x20) }
            pendingSpace = false
            emitted = true
            for byte in UTF8.encode(scalar)! { mix(byte) }
        }

        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x30...0x39, 0x61...0x7A:
                keep(scalar)
            case 0x41...0x5A:
                keep(Unicode.Scalar(v + 0x20)!)
            case 0x00...0x7F:
                pendingSpace = true
            case 0x0400...0x040F:
                keep(Unicode.Scalar(v + 0x50)!)
            case 0x0410...0x042F:
                keep(Unicode.Scalar(v + 0x20)!)
            case 0x0430...0x045F:
                keep(scalar)
            case 0x2116:
                // № is "No" under NFKC, so it hashes as the letters "no".
                keep("n")
                keep("o")
            case 0x00A0, 0x00A9, 0x00AB, 0x00AE, 0x00B0, 0x00BB, 0x00D7, 0x2000...0x200D, 0x2010...0x2027, 0x202F,
                 0x2030...0x2032, 0x2039, 0x203A, 0x2060, 0x20AC, 0x20BD, 0xFE0F:
                // Spaces, dashes, quotes, bullets, ellipsis, joiners: separators before and after NFKC.
                pendingSpace = true
            case 0x2600...0x27BF, 0x1F1E6...0x1F1FF, 0x1F300...0x1F5FF, 0x1F600...0x1F64F, 0x1F680...0x1F6FF,
                 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF:
                // Symbols and emoji: no decomposition, no case, no composition; classified like the slow path.
                let p = scalar.properties
                if p.isAlphabetic || p.numericType != nil || p.isEmojiPresentation { keep(scalar) } else { pendingSpace = true }
            default:
                return ContentHash.of(text)
            }
        }
        guard emitted else { return nil }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
