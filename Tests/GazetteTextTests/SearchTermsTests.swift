import GazetteText
import Testing

/// The index is written from UTF-8 bytes (`SearchWords.scanUTF8`, the stemmer's byte memo), queries and snippets read
/// words as `String`s (`SearchWords.scan`): a post is found only if both give the same terms.
@Suite struct SearchTermsTests {
    /// The terms as a query sees them: `SearchWords.of`, each word stemmed, at most `maxWords`.
    func queryTerms(_ text: String, _ title: String?) -> [String] {
        Stemmer.with { stemmer in
            (SearchWords.of(text) + SearchWords.of(title ?? "")).prefix(SearchTerms.maxWords).map { stemmer.stem($0) }
        }
    }

    static let samples = [
        "Привет, МИР! Hello-World 2026 г. COVID19 ёЖ Ёлка",
        "вы\u{301}боры ин\u{AD}формация 🚀ракета—мир",
        "Ελλάδα İstanbul 東京 ẞtraße ǅemal Ⅻ ٣٤ Ѡѡ Ѐѐ Џџ Ђђ",
        "«Новые» тарифы на метро, don't Санкт-Петербург\u{200D}x",
        String(repeating: "Я", count: 100) + " " + String(repeating: "ab", count: 50) + " é" + String(repeating: "\u{301}", count: 3),
        "", "   ", "\u{301}\u{AD}", "a", "Ё",
    ]

    @Test(arguments: samples) func theIndexHasTheQueryWords(_ text: String) {
        #expect(SearchTerms.of(text: text, title: nil) == queryTerms(text, nil))
        #expect(SearchTerms.of(text: text, title: "Заголовок: Elections") == queryTerms(text, "Заголовок: Elections"))
    }

    /// Random mixes of the scalars each branch of the scanner decides (ASCII, the Cyrillic block, two-, three- and
    /// four-byte letters, marks that stay inside a word, separators), from a fixed seed.
    @Test func generatedTextsGiveTheQueryWords() {
        let pool: [String] = ["a", "Z", "7", " ", ",", "-", "'", "ж", "Ж", "ё", "Ё", "Ѐ", "Џ", "ѡ", "Ѡ", "ա", "Ω", "ß", "ẞ",
                              "İ", "ǅ", "Ⅻ", "東", "\u{301}", "\u{AD}", "\u{200D}", "🚀", "𝐀", "٣", "\u{A0}", "—", "выборах", "elections"]
        var state: UInt64 = 27
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<Int(next(&state) % 80) { text += pool[Int(next(&state) % UInt64(pool.count))] }
            #expect(SearchTerms.of(text: text, title: text) == queryTerms(text, text), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test func atMostMaxWordsAreIndexed() {
        let text = Array(repeating: "слово", count: SearchTerms.maxWords + 10).joined(separator: " ")
        let terms = SearchTerms.of(text: text, title: "title")
        #expect(terms.count == SearchTerms.maxWords)
        #expect(terms == queryTerms(text, "title"))
    }

    /// The memo gives what libstemmer gave the first time, after the table grew, and after it filled up and started over.
    @Test func theStemMemoGivesWhatTheStemmerGave() {
        let endings = ["", "а", "у", "ом", "ами", "ах", "s", "ing", "ed", "ation"]
        let words = (0..<60_000).map { i -> String in
            let stem = String(i, radix: 26).unicodeScalars.map { s in
                let v = s.value < 0x3A ? s.value - 0x30 : s.value - 0x61 + 10
                return i % 2 == 0 ? String(UnicodeScalar(0x0430 + v)!) : String(UnicodeScalar(0x61 + v)!)
            }.joined()
            return stem + (i % 2 == 0 ? endings[i % 6] : endings[6 + i % 4])
        }
        let fresh = Stemmer.with { stemmer in words.prefix(30_000).map { stemmer.stem($0) } }
        let again = Stemmer.with { stemmer in words.prefix(30_000).map { stemmer.stem($0) } }
        #expect(fresh == again)
        let past = Stemmer.with { stemmer in words.map { stemmer.stem($0) } + words.prefix(100).map { stemmer.stem($0) } }
        #expect(Array(past.prefix(30_000)) == fresh)
        #expect(Array(past.suffix(100)) == Array(fresh.prefix(100)))
        #expect(Stemmer.with { $0.stem("выборах") } == "выбор")
        #expect(Stemmer.with { $0.stem("elections") } == "elect")
    }

    func next(_ state: inout UInt64) -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 33
    }
}
