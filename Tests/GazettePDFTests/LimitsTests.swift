import Foundation
import GazetteTestSupport
import Testing
@testable import GazettePDF

/// Pathological input gives a clear error or sane output, never a crash.
@Suite struct LimitsTests {
    @Test func inputOverTwoMegabytesIsRejected() {
        let markdown = String(repeating: "a", count: PDFLimits.maxInputBytes + 1)
        #expect(throws: PDFError.inputTooLarge(bytes: PDFLimits.maxInputBytes + 1, limit: PDFLimits.maxInputBytes)) {
            try PDFRenderer().render(markdown: markdown, info: .test())
        }
        #expect(throws: PDFError.self) {
            try PDFRenderer().render(markdownData: Data(markdown.utf8), info: .test())
        }
    }

    @Test func twoMegabyteSingleLineIsTooManyPagesOrRenders() throws {
        let word = "abcdefghij "
        let markdown = String(repeating: word, count: PDFLimits.maxInputBytes / word.utf8.count)
        do {
            let pdf = try PDFRenderer().render(markdown: markdown, info: .test())
            #expect(pdf.pages <= PDFLimits.maxPages)
        } catch {
            #expect(error == .tooManyPages(limit: PDFLimits.maxPages))
            #expect(error.errorType.rawValue == "too_many_pages")
            #expect(error.description.contains("500 pages"))
        }
    }

    @Test func tooManyPagesIsAClearError() {
        let markdown = String(repeating: "para\n\n", count: 25_000)
        #expect(throws: PDFError.tooManyPages(limit: PDFLimits.maxPages)) {
            try PDFRenderer().render(markdown: markdown, info: .test())
        }
    }

    @Test(.needsPoppler) func tenThousandNestedQuotesRender() throws {
        let markdown = String(repeating: "> ", count: 10_000) + "deep text\n"
        let pdf = try PDFRenderer().render(markdown: markdown, info: .test())
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        #expect(try inspector.text().contains("deep text"))
    }

    @Test(.needsPoppler) func deeplyNestedListsAndEmphasisRender() throws {
        var markdown = ""
        for depth in 0..<300 { markdown += String(repeating: "  ", count: depth) + "- level \(depth)\n" }
        markdown += "\n" + String(repeating: "*", count: 2_000) + "x" + String(repeating: "*", count: 2_000) + "\n"
        let pdf = try PDFRenderer().render(markdown: markdown, info: .test())
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        #expect(try inspector.text().contains("level 299"))
    }

    @Test(.needsPoppler) func fiveThousandColumnTableBecomesText() throws {
        let columns = 5_000
        let header = "|" + (0..<columns).map { "c\($0)" }.joined(separator: "|") + "|\n"
        let rule = "|" + String(repeating: "---|", count: columns) + "\n"
        let row = "|" + (0..<columns).map { "v\($0)" }.joined(separator: "|") + "|\n"
        let pdf = try PDFRenderer().render(markdown: header + rule + row + row, info: .test())
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        #expect(try inspector.pageCount() == pdf.pages)
        let text = try inspector.text()
        #expect(text.contains("c4999"))
        #expect(text.contains("v4999"))
    }

    @Test func invalidUTF8IsRejectedWithTheOffset() {
        var bytes = Array("# Title\n\nok ".utf8)
        let offset = bytes.count
        bytes += [0xC3, 0x28, 0x41]
        #expect(throws: PDFError.invalidInput("markdown is not valid UTF-8 (first bad byte at offset \(offset))")) {
            try PDFRenderer().render(markdownData: Data(bytes), info: .test())
        }
    }

    @Test func validUTF8DataRenders() throws {
        let pdf = try PDFRenderer().render(markdownData: Data("# Привет 🚀\n\nmir".utf8), info: .test())
        #expect(pdf.pages == 1)
    }

    @Test func nulBytesAndControlCharactersDoNotBreakRendering() throws {
        let markdown = "a\u{0}b\u{1}c\u{7f} \u{202e}reversed\u{202c} \u{feff}bom"
        let pdf = try PDFRenderer().render(markdown: markdown, info: .test())
        #expect(pdf.pages == 1)
    }

    @Test func errorTypesAreStableLabels() {
        #expect(PDFError.inputTooLarge(bytes: 1, limit: 0).errorType.rawValue == "input_too_large")
        #expect(PDFError.invalidInput("x").errorType.rawValue == "invalid_input")
        #expect(PDFError.renderFailed("x").errorType.rawValue == "render_failed")
        #expect(PDFError.inputTooLarge(bytes: 3_000_000, limit: 2_097_152).description.contains("3000000 bytes"))
    }
}

@Suite struct FormattingTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"),
        (1_715_904_000.0, "2024-05-17T00:00:00Z"),
        (951_782_400.0 + 86_399, "2000-02-29T23:59:59Z"),
        (-1.0, "1969-12-31T23:59:59Z"),
        (4_102_444_800.0, "2100-01-01T00:00:00Z"),
    ])
    func pdfDatesAreISO8601InUTC(seconds: Double, expected: String) {
        #expect(PDFWriter.iso8601(Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func linkAttributesEscapeQuotesAndBackslashes() {
        #expect(PDFWriter.escapeAttribute("https://x.org/a'b\\c") == "https://x.org/a\\'b\\\\c")
        #expect(PDFWriter.number(-0.004) == "0.00" || PDFWriter.number(-0.004) == "-0.00")
        #expect(PDFWriter.number(12.345) == "12.35" || PDFWriter.number(12.345) == "12.34")
        #expect(PDFWriter.number(3) == "3.00")
    }

    @Test func emojiClustersAreFoundByByteRange() {
        let text = Array("a 🚀 b 🛠️ — ☑ 👁 x".utf8)
        let found = EmojiAtlas.clusters(in: text).map(\.text)
        #expect(found == ["🚀", "🛠️", "👁"])
    }
}

/// Past the shaped-text budget layouts are released after measuring and rebuilt when drawn.
@Suite struct LargeDocumentTests {
    @Test(.needsPoppler) func documentsBeyondTheShapingBudgetAreComplete() throws {
        var markdown = ""
        var index = 0
        while markdown.utf8.count < TextEngine.shapedBytesBudget + 64 * 1024 {
            markdown += "Paragraph \(index) with **bold** text, Кириллица 🚀 and [link \(index)](https://example.org/p/\(index)) "
            markdown += String(repeating: "filler words ", count: 8) + "\n\n"
            index += 1
        }
        let pdf = try PDFRenderer().render(markdown: markdown, info: .test())
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        #expect(try inspector.pageCount() == pdf.pages)
        let text = try inspector.text()
        #expect(text.contains("Paragraph 0 with"))
        #expect(text.contains("Paragraph \(index - 1) with"))
        #expect(text.contains("🚀"))
        #expect(Set(try inspector.linkURLs()).count == index)
        #expect(try inspector.text(page: pdf.pages).contains("\(pdf.pages) / \(pdf.pages)"))
    }
}
