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

    @Test func parsesTheFormatterOutput() throws {
        let data = try #require(ChartData.parse("title: T\nchannel | posts | views\nA | 1 | 2\nB | 3 | 4"))
        #expect(data.title == "T")
        #expect(data.rows == [.init(label: "A", posts: 1, views: 2), .init(label: "B", posts: 3, views: 4)])
    }

    @Test(arguments: [
        "channel | posts | views",                        // no rows
        "channel | posts | views\nA | x | 2",             // not a number
        "channel | posts | views\nA | 1",                 // missing column
        "name | posts | views\nA | 1 | 2",                // wrong header
        "channel | posts | views\nA | -1 | 2",            // negative
    ])
    func rejectsMalformedData(source: String) {
        #expect(ChartData.parse(source) == nil)
    }

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
    @Test(.needsPoppler) func russianHeaderIsTheLegend() throws {
        let data = try #require(ChartData.parse("title: Посты и просмотры по каналам\nканал | посты | просмотры\nА | 1 | 2"))
        #expect(data.postsLabel == "посты" && data.viewsLabel == "просмотры")
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
        #expect(ChartData.compact(999) == "999")
        #expect(ChartData.compact(37200) == "37.2K")
        #expect(ChartData.compact(1_000_000) == "1M")
    }
}
