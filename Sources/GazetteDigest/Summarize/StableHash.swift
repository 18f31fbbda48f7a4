import Crypto
import Foundation

/// Hashes that are the same in every process and on every run (Swift's `Hasher` is seeded per process).
///
/// `of` is FNV-1a, 32 bits: the story clusterer's name keys (a collision is about one in a hundred million lookups)
/// and the LLM summarizer's chunk boundaries. `sha256` names what the summary cache and the story reuse keep.
enum StableHash {
    /// The SHA-256 of `text`'s bytes in lowercase hex.
    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func of(_ tag: UInt8, _ text: String) -> UInt32 {
        var h = start(tag)
        for b in text.utf8 { add(b, to: &h) }
        return h
    }

    /// `of(tag, p)` for each prefix `p` of `text` of `lengths` scalars that is shorter than `text`, in one pass and
    /// without making the prefixes.
    static func prefixes(_ tag: UInt8, _ text: String, _ lengths: ClosedRange<Int>, _ body: (UInt32) -> Void) {
        var h = start(tag)
        var scalars = 0
        for b in text.utf8 {
            if b & 0xC0 != 0x80 {  // the first byte of the next scalar: the hash so far is of `scalars` whole ones
                if lengths.contains(scalars) { body(h) }
                scalars += 1
            }
            add(b, to: &h)
        }
    }

    /// `of(tag, s)` for the string `s` of the first scalars of the words in turn, from two of them on (initials).
    static func initials(_ tag: UInt8, _ firsts: some Sequence<Unicode.Scalar>, _ body: (UInt32) -> Void) {
        var h = start(tag)
        var count = 0
        for c in firsts {
            UTF8.encode(c) { add($0, to: &h) }
            count += 1
            if count >= 2 { body(h) }
        }
    }

    private static func start(_ tag: UInt8) -> UInt32 {
        (0x811c_9dc5 ^ UInt32(tag)) &* 0x0100_0193
    }

    private static func add(_ byte: UInt8, to h: inout UInt32) {
        h = (h ^ UInt32(byte)) &* 0x0100_0193
    }
}
