@testable import GazetteStorage
import Testing

/// What each engine is given for a post: the stems in order (FTS5), the stems with their positions (`tsvector`).
@Suite struct SearchDocumentTests {
    @Test func aPostAsEachEngineTakesIt() {
        let text = "Выборы в Москве: выборы, ВЫБОРАХ!", title = "Don't"
        #expect(String(decoding: SearchDocument.fts5(text: text, title: title), as: UTF8.self) == "выбор в москв выбор выбор don t")
        #expect(SearchDocument.tsvector(text: text, title: title) == "'выбор':1,4,5 'в':2 'москв':3 'don':6 't':7")
        #expect(SearchDocument.fts5(text: "", title: nil).isEmpty)
        #expect(SearchDocument.tsvector(text: " — ", title: "") == "")
    }

    @Test func aLexemeKeepsAtMost256Positions() {
        let text = Array(repeating: "tariffs", count: 300).joined(separator: " ") + " metro"
        let positions = (1...256).map(String.init).joined(separator: ",")
        #expect(SearchDocument.tsvector(text: text, title: nil) == "'tariff':\(positions) 'metro':301")
    }
}
