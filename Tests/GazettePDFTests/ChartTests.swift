import Foundation
import GazetteTestSupport
import Testing
@testable import GazettePDF

@Suite struct ChartTests {
    static let chart = """
    ## Overview

    ```gazette-chart
    title: Posts and views per channel
    channel | posts | views
    Durov's Channel | 12 | 37200
    Tech News | 5 | 1200
    ```
    """

    @Test(.needsPoppler) func drawsBarsWithLabelsInsteadOfCode() throws {
        let pdf = try PDFRenderer().render(markdown: Self.chart, info: .test())
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        let text = try inspector.text()
        #expect(text.contains("Posts and views per channel"))
        #expect(text.contains("Durov's Channel"))
        #expect(text.contains("37.2K"))
        #expect(text.contains("posts"))
        #expect(!text.contains("channel | posts | views"))
    }

    /// A Russian digest's chart: the header's words are the legend, so the PDF has no English word of Gazette's own.
    /// (The block's format itself is tested in GazetteMarkdownTests.)
    @Test(.needsPoppler) func russianHeaderIsTheLegend() throws {
        let pdf = try PDFRenderer().render(markdown: "```gazette-chart\nканал | посты | просмотры\nНовости | 3 | 1200\n```\n", info: .test())
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        let text = try inspector.text()
        #expect(text.contains("посты") && text.contains("просмотры") && !text.contains("posts") && !text.contains("views"))
    }

    @Test(.needsPoppler) func malformedChartIsShownAsCode() throws {
        let markdown = "```gazette-chart\nchannel | posts | views\nBroken | many | 12\n```\n"
        let pdf = try PDFRenderer().render(markdown: markdown, info: .test())
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        #expect(try inspector.text().contains("Broken | many | 12"))
    }

    @Test func compactNumbers() {
        #expect(ChartLayout.compact(999) == "999")
        #expect(ChartLayout.compact(37200) == "37.2K")
        #expect(ChartLayout.compact(1_000_000) == "1M")
    }
}
