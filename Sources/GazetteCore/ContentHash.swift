import Foundation

/// Hash of a post's normalized text, for spotting the same text posted twice.
///
/// Normalization: Unicode NFKC, lowercased, URLs' tracking parameters left as they are, every run of
/// whitespace and punctuation collapsed to one space. The hash is 64-bit FNV-1a over the UTF-8 bytes
/// (Core imports no crypto library; a collision only matters inside one channel and a 7-day window).
public enum ContentHash {
    /// Nil for posts without text (media-only posts are never deduplicated by content).
    public static func of(_ text: String) -> String? {
        let normalized = normalize(text)
        guard !normalized.isEmpty else { return nil }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in normalized.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    public static func normalize(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased()
        var out = ""
        out.reserveCapacity(folded.utf8.count)
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            let p = scalar.properties
            if p.isAlphabetic || p.numericType != nil || p.isEmojiPresentation {
                if pendingSpace && !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingSpace = true
            }
        }
        return out
    }
}
