import Foundation
import GazetteMarkdown
@testable import GazettePDF
import GazetteTestSupport
import Testing
@testable import GazetteWeb

/// The PDF and the web page read the digest's chart block with the one parser (`ChartBlock`): the same blocks, well
/// formed and malformed, come out as a chart on both or as code on both.
@Suite("One chart format for the PDF and the page")
struct ChartParityTests {
    struct Block {
        /// The label of the block's only row: how the block is found in each rendering.
        var label: String
        var markdown: String
        /// The raw row as written (what a code block shows).
        var rawRow: String
        var views: Int
    }

    static let blocks: [Block] = [
        Block(label: "Alpha", markdown: "```gazette-chart\ntitle: Alpha chart\nchannel | posts | views\nAlpha | 12 | 37200\n```",
              rawRow: "Alpha | 12 | 37200", views: 37200),
        // Russian header, outer pipes and a separator row.
        Block(label: "Bravo", markdown: "```gazette-chart\n| канал | посты | просмотры |\n|---|---:|---:|\n| Bravo | 3 | 1500 |\n```",
              rawRow: "| Bravo | 3 | 1500 |", views: 1500),
        // Malformed: not a number, an unknown header, a missing column.
        Block(label: "Charlie", markdown: "```gazette-chart\nchannel | posts | views\nCharlie | many | 12\n```",
              rawRow: "Charlie | many | 12", views: 12),
        Block(label: "Delta", markdown: "```gazette-chart\nname | posts | views\nDelta | 1 | 2\n```",
              rawRow: "Delta | 1 | 2", views: 2),
        Block(label: "Echo", markdown: "```gazette-chart\nchannel | posts | views\nEcho | 1\n```", rawRow: "Echo | 1", views: 0),
        // In a quote, and a tilde fence with spaces around the info string.
        Block(label: "Foxtrot", markdown: "> ```gazette-chart\n> channel | posts | views\n> Foxtrot | 4 | 4400\n> ```",
              rawRow: "Foxtrot | 4 | 4400", views: 4400),
        Block(label: "Golf", markdown: "~~~  gazette-chart \nchannel | posts | views\nGolf | 7 | 7700\n~~~",
              rawRow: "Golf | 7 | 7700", views: 7700),
        // Never closed: the block runs to the end of the document.
        Block(label: "Hotel", markdown: "```gazette-chart\nchannel | posts | views\nHotel | 9 | 9900", rawRow: "Hotel | 9 | 9900", views: 9900),
    ]

    static let document = blocks.map(\.markdown).joined(separator: "\n\nBetween the blocks.\n\n") + "\n"

    @Test("the same blocks: a chart in the PDF exactly when a table on the page", .enabled(if: TestRequirement.poppler.enabled))
    func sameDecisions() throws {
        let pdf = try PDFRenderer().render(markdown: Self.document, info: PDFDocumentInfo(title: "Charts"))
        let inspector = try PDFInspector(pdf.data)
        defer { inspector.remove() }
        let pdfText = try inspector.text()
        let html = try DigestHTML.fragment(markdown: Self.document)

        var charts: [String] = []
        for block in Self.blocks {
            // The PDF draws a chart as bars with labels and compact values; a code block shows the row as written.
            let drawnInPDF = pdfText.contains(block.label) && !pdfText.contains(block.rawRow)
            let codeInPDF = pdfText.contains(block.rawRow)
            // The page shows a chart as a table row; a code block as the escaped text in a code element.
            let tableOnPage = html.contains("<td>\(block.label)</td>")
            let codeOnPage = html.contains(block.rawRow) && !tableOnPage
            #expect(drawnInPDF == tableOnPage, "\(block.label): PDF chart \(drawnInPDF), page table \(tableOnPage)")
            #expect(codeInPDF == codeOnPage, "\(block.label): PDF code \(codeInPDF), page code \(codeOnPage)")
            #expect(drawnInPDF != codeInPDF, "\(block.label) is either a chart or code in the PDF")
            if tableOnPage {
                charts.append(block.label)
                #expect(pdfText.contains(ChartLayout.compact(block.views)), "\(block.label): the PDF's bar value")
                #expect(html.contains(DigestHTML.grouped(block.views)), "\(block.label): the page's number")
            }
        }
        // What the one parser says is a chart, both renderings drew as one.
        #expect(charts == ["Alpha", "Bravo", "Foxtrot", "Golf", "Hotel"])
        #expect(html.contains("<th>канал</th>") && pdfText.contains("посты"), "the Russian header is the legend on both")
        #expect(html.contains("<strong>Alpha chart</strong>") && pdfText.contains("Alpha chart"), "the title on both")
    }
}
