@testable import GazetteDigest
import Testing

@Suite("Scalar classes")
struct ScalarClassTests {
    /// The fast answers must equal the standard library's for every scalar, not only the ones with a fast path.
    /// Yields now and then: a second of lookups would otherwise hold a thread of the shared test pool.
    @Test func agreeWithUnicodePropertiesEverywhere() async {
        var mismatches: [String] = []
        for value in UInt32(0)...0x10FFFF {
            if value % 8192 == 0 { await Task.yield() }
            guard let s = Unicode.Scalar(value) else { continue }
            let p = s.properties
            if s.fastIsWhitespace != p.isWhitespace { mismatches.append("whitespace U+\(String(value, radix: 16))") }
            if s.fastIsAlphabetic != p.isAlphabetic { mismatches.append("alphabetic U+\(String(value, radix: 16))") }
            if s.fastIsNumeric != (p.numericType != nil) { mismatches.append("numeric U+\(String(value, radix: 16))") }
            if s.fastIsUppercase != p.isUppercase { mismatches.append("uppercase U+\(String(value, radix: 16))") }
            if s.fastIsLowercase != p.isLowercase { mismatches.append("lowercase U+\(String(value, radix: 16))") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }

    @Test func noEmojiPartBelowU2000ExceptTheListedJoiners() {
        for value in UInt32(0)..<0x2000 {
            guard let s = Unicode.Scalar(value) else { continue }
            #expect(!SentenceSplitter.isEmojiPart(s) && !s.properties.isEmojiPresentation, "U+\(String(value, radix: 16))")
        }
    }
}
