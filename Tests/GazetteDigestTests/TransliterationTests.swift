@testable import GazetteDigest
import Testing

/// The consonant skeletons that match names across Russian and English; the expected values were computed by the
/// first, string-based version of `Transliteration.skeleton` (replacingOccurrences), so the byte-based one keeps them.
@Suite("transliterated name skeletons")
struct TransliterationTests {
    static let cases: [(String, String?)] = [
        ("трамп", "trmp"),
        ("trump", "trmp"),
        ("макрон", "mkrn"),
        ("macron", "mkrn"),
        ("зеленский", "zlnsk"),
        ("zelensky", "zlnsk"),
        ("щукин", "skn"),
        ("schröder", "srdr"),
        ("deutsch", nil),
        ("цюрих", "zrk"),
        ("zürich", "zrk"),
        ("шварценеггер", "svrzngr"),
        ("schwarzenegger", "svrzngr"),
        ("peckham", "pkm"),
        ("philadelphia", "fldlf"),
        ("хмельницкий", "kmlnzk"),
        ("xerox", "ksrks"),
        ("ёж", nil),
        ("nietzsche", "nzs"),
        ("matsch", nil),
        ("путин", "ptn"),
        ("putin", "ptn"),
    ]

    @Test(arguments: cases)
    func skeleton(word: String, expected: String?) {
        #expect(Transliteration.skeleton(word) == expected)
    }

    @Test func replacementsScanLeftToRightWithoutOverlaps() {
        let bytes = Array("tststs".utf8)
        #expect(Transliteration.replacing(Array("ts".utf8), with: Array("z".utf8), in: bytes) == Array("zzz".utf8))
        #expect(Transliteration.replacing(Array("sts".utf8), with: Array("x".utf8), in: bytes) == Array("txts".utf8))
    }

    /// The keys other posts' names are looked up by must not depend on how they were hashed.
    @Test func prefixAndInitialHashesAreThoseOfTheStrings() {
        for word in ["путин", "ёлка", "tsipras", "ab", "абвгд", "naïve", "日本語テキスト"] {
            var got: [UInt32] = []
            StableHash.prefixes(1, word, 3...5) { got.append($0) }
            let scalars = Array(word.unicodeScalars)
            let expected = (3...5).filter { scalars.count > $0 }
                .map { StableHash.of(1, String(String.UnicodeScalarView(scalars.prefix($0)))) }
            #expect(got == expected, "\(word)")
        }
        var initials: [UInt32] = []
        StableHash.initials(2, Array("ОПЗы".unicodeScalars)) { initials.append($0) }
        #expect(initials == ["ОП", "ОПЗ", "ОПЗы"].map { StableHash.of(2, $0) })
    }
}
