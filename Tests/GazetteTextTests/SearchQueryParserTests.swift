import GazetteCore
import GazetteText
import Testing

@Suite struct SearchQueryParserTests {
    func parse(_ text: String) throws -> SearchQuery { try SearchQueryParser.parse(text) }

    func stem(_ word: String) -> String { Stemmer.with { $0.stem(word) } }

    @Test func wordsAreStemmedAndAllRequired() throws {
        let q = try parse("  Выборы   elections ")
        #expect(q.text == "Выборы   elections")
        #expect(q.include == [.word("выбор"), .word("elect")])
        #expect(q.exclude == [])
        #expect(try parse("выборах").include == q.include.prefix(1).map { $0 })
        #expect(try parse("выборы выборы").include == [.word("выбор")])
    }

    @Test func phrasesInAnyQuotes() throws {
        let expected: [SearchQuery.Term] = [.phrase(["нов", "тариф"])]
        #expect(try parse("\"новые тарифы\"").include == expected)
        #expect(try parse("«новые тарифы»").include == expected)
        #expect(try parse("“новые тарифы”").include == expected)
        #expect(try parse("„новые тарифы“").include == expected)
        // Inside quotes common words count; one quoted word is a word.
        #expect(try parse("\"тарифы на метро\"").include == [.phrase(["тариф", "на", "метр"])])
        #expect(try parse("\"метро\"").include == [.word("метр")])
        // A hyphenated or apostrophed word is the phrase of its parts.
        #expect(try parse("Санкт-Петербург").include == [.phrase(["санкт", "петербург"])])
        #expect(try parse("don't").include == [.phrase(["don", "t"])])
        // A phrase right after a word, without a space.
        #expect(try parse("метро\"новые тарифы\"").include == [.word("метр"), .phrase(["нов", "тариф"])])
    }

    @Test func exclusions() throws {
        let q = try parse("метро -тарифы -\"новые автобусы\" - ремонт")
        #expect(q.include == [.word("метр"), .word("ремонт")])
        #expect(q.exclude == [.word("тариф"), .phrase(["нов", "автобус"])])
    }

    @Test func prefixes() throws {
        #expect(try parse("электр*").include == [.prefix(["электр"])])
        // A whole word before * is looked for by its stem, which starts it.
        #expect(try parse("выборы*").include == [.prefix(["выбор"])])
        // English y → i: the stem does not start the typed word, so both are looked for.
        #expect(try parse("happy*").include == [.prefix(["happy", "happi"])])
        #expect(try parse("-электр* метро").exclude == [.prefix(["электр"])])
    }

    @Test func commonWordsAreDroppedWhenOtherWordsRemain() throws {
        #expect(try parse("выборы в Москве").include == [.word("выбор"), .word(stem("москве"))])
        #expect(try parse("the elections").include == [.word("elect")])
        // Only common words: they are what was asked.
        #expect(try parse("the who").include == [.word("the"), .word("who")])
        #expect(try parse("-the elections").exclude == [.word("the")])
    }

    @Test("malformed queries are refused with a message naming the problem", arguments: [
        ("", "the query is empty: type a word to find"),
        ("   ", "the query is empty: type a word to find"),
        ("!!! … 🚀", "the query has no words to find: type letters or digits"),
        ("-метро", "the query only excludes (-word): add a word to find"),
        ("-метро -\"новые тарифы\"", "the query only excludes (-word): add a word to find"),
        ("\"новые тарифы", "a quote is not closed: \"новые тарифы needs its closing quote"),
        ("«новые тарифы", "a quote is not closed: «новые тарифы needs its closing quote"),
        ("\"\"", "the quotes \"\" hold no words"),
        ("\"!!\"", "the quotes \"!!\" hold no words"),
        ("эл*", "'эл*' is too short: write at least 3 letters before *"),
        ("*", "'*' needs at least 3 letters before it; got '*'"),
        ("*метро", "'*' goes at the end of a word, as in metro*; got '*метро'"),
        ("ме*тро", "'*' goes at the end of a word, as in metro*; got 'ме*тро'"),
        ("метро**", "'*' goes at the end of a word, as in metro*; got 'метро**'"),
        ("covid-19*", "'*' ends one word; 'covid-19*' is several"),
        ("\"новые тар*\"", "'*' works after a word outside quotes (metro*), not inside \"новые тар*\""),
        ("a\u{0}b", "the query contains control characters"),
    ])
    func refused(text: String, message: String) {
        #expect(throws: SearchQueryError(message)) { try SearchQueryParser.parse(text) }
    }

    @Test func limits() {
        #expect(throws: SearchQueryError("the query is 501 characters long; at most 500")) {
            try SearchQueryParser.parse(String(repeating: "а", count: 501))
        }
        let many = (1...21).map { "слово\($0)" }.joined(separator: " ")
        #expect(throws: SearchQueryError("the query has 21 words and phrases; at most 20")) { try SearchQueryParser.parse(many) }
    }
}

@Suite struct SearchWordsTests {
    @Test func wordsAreLettersAndDigitsLowercased() {
        #expect(SearchWords.of("Привет, МИР! Hello-World 2026 г. COVID19 ёЖ Ёлка") ==
                ["привет", "мир", "hello", "world", "2026", "г", "covid19", "еж", "елка"])
        // A stress mark or a soft hyphen stays inside the word; emoji and punctuation separate.
        #expect(SearchWords.of("вы\u{301}боры ин\u{AD}формация 🚀ракета—мир") == ["выборы", "информация", "ракета", "мир"])
        // Other scripts by their Unicode category; lowercasing that adds a mark keeps the letter only.
        #expect(SearchWords.of("Ελλάδα İstanbul 東京") == ["ελλάδα", "istanbul", "東京"])
        #expect(SearchWords.of(String(repeating: "я", count: 100)) == [String(repeating: "я", count: 64)])
    }

    @Test func rangesPointIntoTheText() {
        let text = "«Новые» тарифы"
        var ranges: [String] = []
        SearchWords.scan(text) { range, _ in
            ranges.append(String(text[range]))
            return true
        }
        #expect(ranges == ["Новые", "тарифы"])
    }

    @Test func termsAreStemsOfTextThenTitle() {
        #expect(SearchTerms.of(text: "Выборы в Москве", title: "Итоги выборов") == ["выбор", "в", "москв", "итог", "выбор"])
        #expect(SearchTerms.of(text: "", title: nil) == [])
        let long = Array(repeating: "слово", count: SearchTerms.maxWords + 10).joined(separator: " ")
        #expect(SearchTerms.of(text: long, title: "заголовок").count == SearchTerms.maxWords)
    }
}

@Suite struct SearchSnippetTests {
    @Test func marksTheMatchedWordsInAnyInflection() throws {
        let q = try SearchQueryParser.parse("выборы \"новые тарифы\" электр*")
        let s = SearchSnippet.make(text: "На выборах обещали новые тарифы и электричество.", query: q)
        #expect(s.markdownBold == "На **выборах** обещали **новые тарифы** и **электричество**.")
        #expect(s.rendered(plain: { $0.replacingOccurrences(of: "<", with: "&lt;") }, mark: { "<mark>\($0)</mark>" })
                == "На <mark>выборах</mark> обещали <mark>новые тарифы</mark> и <mark>электричество</mark>.")
    }

    @Test func aLongPostIsCutAroundTheMatches() throws {
        let q = try SearchQueryParser.parse("наводнение")
        let before = Array(repeating: "погода", count: 80).joined(separator: " ")
        let after = Array(repeating: "дороги", count: 80).joined(separator: "\n")
        let s = SearchSnippet.make(text: before + " Наводнение в городе. " + after, query: q, maxCharacters: 120)
        #expect(s.text.hasPrefix("…"))
        #expect(s.text.hasSuffix("…"))
        #expect(s.text.count <= 125)
        #expect(s.parts.filter(\.marked).map(\.text) == ["Наводнение"])
        #expect(!s.text.contains("\n"))
        #expect(!s.text.contains("  "))
    }

    @Test func noMatchInTheTextShowsTheBeginning() throws {
        let q = try SearchQueryParser.parse("заголовок")
        let s = SearchSnippet.make(text: "  Первая строка\n\nвторая", query: q)
        #expect(s.text == "Первая строка вторая")
        #expect(s.parts.allSatisfy { !$0.marked })
        #expect(SearchSnippet.make(text: "", query: q).parts == [])
    }
}
