import Foundation
import GazetteTestSupport
import Testing
@testable import GazettePDF

/// Every markdown construct reaches the PDF as text, links or drawing.
@Suite struct ConstructTests {
    static let everything = """
    # Heading one
    ## Heading two
    ### Heading three
    #### Heading four

    Plain **bold** *italic* ~~struck~~ `inline_code` and [a link](https://example.org/page) and an
    autolink https://example.com/auto plus <https://example.net/angle>.\\
    After a hard break. Image: ![alt text](https://example.org/pic.png) · unsafe [js](javascript:alert(1))

    - bullet one
      - nested bullet
        1. nested ordered
    - [ ] open task
    - [x] done task

    3. third
    4. fourth

    > quoted text
    >> deeper quoted

    ```swift
    let answer = 42
    ```

    | Left | Centre | Right |
    |:-----|:------:|------:|
    | a    | b      | 1,234 |
    | Кириллица | 🚀 rocket | 5 |

    ---

    <div>raw html block</div>

        indented code block

    Last paragraph.
    """

    @Test(.needsPoppler) func everyConstructIsInTheTextLayer() throws {
        let pdf = try PDFRenderer().render(markdown: Self.everything, info: .test())
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        let text = try inspector.text()
        for expected in ["Heading one", "Heading two", "Heading three", "Heading four", "bold", "italic", "struck",
                         "inline_code", "a link", "After a hard break", "[image: alt text]", "bullet one",
                         "nested bullet", "nested ordered", "open task", "done task", "3.", "4.", "fourth",
                         "quoted text", "deeper quoted", "let answer = 42", "Centre", "1,234", "Кириллица",
                         "rocket", "raw html block", "indented code block", "Last paragraph.", "•", "☐", "☑"] {
            #expect(text.contains(expected), "pdftotext lacks \(expected)")
        }
    }

    @Test(.needsPoppler) func linksAutolinksAndImagesAreClickableButUnsafeSchemesAreNot() throws {
        let pdf = try PDFRenderer().render(markdown: Self.everything, info: .test())
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        let urls = Set(try inspector.linkURLs())
        #expect(urls.isSuperset(of: ["https://example.org/page", "https://example.com/auto",
                                     "https://example.net/angle", "https://example.org/pic.png"]))
        #expect(!urls.contains { $0.hasPrefix("javascript") })
    }

    @Test(.needsPoppler) func emptyDocumentIsOnePage() throws {
        let pdf = try PDFRenderer().render(markdown: "", info: .test())
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        #expect(pdf.pages == 1)
        #expect(try inspector.pageCount() == 1)
    }

    @Test(.needsPoppler) func longDocumentsBreakAcrossPagesAndTableHeadersRepeat() throws {
        var markdown = "| Name | Value |\n|---|---:|\n"
        for index in 0..<120 { markdown += "| row \(index) | \(index * 7) |\n" }
        let pdf = try PDFRenderer().render(markdown: markdown, info: .test())
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        #expect(pdf.pages >= 2)
        #expect(try inspector.pageCount() == pdf.pages)
        #expect(try inspector.text(page: 2).contains("Name"))
        #expect(try inspector.text().contains("row 119"))
    }

    @Test(.needsPoppler) func longURLsWrapWithoutHyphens() throws {
        let url = "https://example.org/" + String(repeating: "segment", count: 40)
        let pdf = try PDFRenderer().render(markdown: "See \(url) now", info: .test())
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        let lines = try inspector.text().split(separator: "\n").map(String.init)
        #expect(lines.count >= 3)
        #expect(!lines.contains { $0.hasSuffix("-") })
        #expect(try inspector.linkURLs().allSatisfy { $0 == url })
    }

    @Test func largerFontSizeGivesMorePages() throws {
        let markdown = try referenceDigest()
        let renderer = PDFRenderer()
        let normal = try renderer.render(markdown: markdown, info: .test())
        let large = try renderer.render(markdown: markdown, info: .test(), style: PDFStyle(fontSize: 18))
        #expect(large.pages > normal.pages)
    }

    @Test(arguments: [7.9, 24.5, Double.nan])
    func fontSizeOutsideTheRangeIsRejected(size: Double) {
        #expect(throws: PDFError.self) {
            try PDFRenderer().render(markdown: "x", info: .test(), style: PDFStyle(fontSize: size))
        }
    }
}
