import CCmarkGFM
import Foundation
import GazetteMarkdown
import Testing

@Suite struct ChartBlockTests {
    static let sample = ChartBlock(title: "Posts and views per channel", rows: [
        .init(label: "Durov's Channel", posts: 12, views: 37200),
        .init(label: "Tech News", posts: 5, views: 1200),
    ])

    /// The charts of a document, as `init?(node:)` reads them from cmark's tree (nil for a code block that is not one).
    static func charts(_ markdown: String) throws -> [ChartBlock?] {
        let document = try MarkdownDocument(parsing: markdown, extensions: [.table])
        return document.nodes { cmark_node_get_type($0) == CMARK_NODE_CODE_BLOCK }.map { ChartBlock(node: $0) }
    }

    @Test("what the digest writes is read back as the same chart")
    func roundTrip() throws {
        #expect(try Self.charts(Self.sample.markdown) == [Self.sample])
        let russian = ChartBlock(title: "Посты и просмотры по каналам", legend: .russian, rows: [.init(label: "Новости", posts: 3, views: 0)])
        #expect(try Self.charts(russian.markdown) == [russian])
        #expect(Self.sample.markdown == """
            ```gazette-chart
            title: Posts and views per channel
            channel | posts | views
            Durov's Channel | 12 | 37200
            Tech News | 5 | 1200
            ```
            """)
    }

    @Test("a label cannot break the block: no separator, line break or fence survives")
    func hostileLabels() throws {
        let chart = ChartBlock(title: "A\n```\nB", rows: [
            .init(label: "A | B\n```evil", posts: 1, views: 2),
            .init(label: "```", posts: 3, views: 4),
            .init(label: "  ", posts: 5, views: 6),
        ])
        let written = chart.markdown
        #expect(written.contains("A ¦ B '''evil | 1 | 2"))
        #expect(written.components(separatedBy: "```").count == 3, "only the two fences")
        let read = try #require(try Self.charts(written).first ?? nil)
        #expect(read.title == "A ''' B")
        #expect(read.rows.map(\.label) == ["A ¦ B '''evil", "'''", "—"])
        #expect(read.rows.map(\.posts) == [1, 3, 5])
    }

    @Test("more channels than a chart holds: the first ones are written, and read back")
    func tooManyRows() throws {
        let rows = (0..<(ChartBlock.maxRows + 5)).map { ChartBlock.Row(label: "c\($0)", posts: $0, views: $0) }
        let read = try #require(try Self.charts(ChartBlock(title: nil, rows: rows).markdown).first ?? nil)
        #expect(read.rows == Array(rows.prefix(ChartBlock.maxRows)))
        let body = "channel | posts | views\n" + rows.map { "\($0.label) | 1 | 1" }.joined(separator: "\n")
        #expect(ChartBlock(body: body) == nil, "a block with more rows than the format allows is not a chart")
    }

    @Test("the format's optional parts")
    func optionalParts() {
        let chart = ChartBlock(body: "| Channel | Posts | Views |\n|---|---:|---:|\n| A | 1 | 2 |\n")
        #expect(chart == ChartBlock(title: nil, rows: [.init(label: "A", posts: 1, views: 2)]))
        #expect(ChartBlock(body: "TITLE: T\nканал | посты | просмотры\nА | 1 | 2")?.legend == .russian)
        #expect(ChartBlock(body: "title:\nchannel | posts | views\nA | 1 | 2")?.title == nil)
    }

    @Test(arguments: [
        "channel | posts | views",                              // no rows
        "channel | posts | views\nA | x | 2",                   // not a number
        "channel | posts | views\nA | 1",                       // missing column
        "channel | posts | views\nA | 1 | 2 | 3",               // extra column
        "name | posts | views\nA | 1 | 2",                      // unknown header
        "channel | posts | views\nA | -1 | 2",                  // negative
        "channel | posts | views\n | 1 | 2",                    // no label
        "channel | posts | views\nA | 1 | 2000000000000000",    // beyond the cap
        "A | 1 | 2\nchannel | posts | views",                   // header not first
        "channel | posts | views\ntitle: late\nA | 1 | 2",      // title after the header
        "",
    ])
    func rejectsMalformedBlocks(body: String) {
        #expect(ChartBlock(body: body) == nil)
    }

    @Test("only a fenced block with the chart's info string is a chart")
    func onlyTheFencedBlock() throws {
        let body = "channel | posts | views\nA | 1 | 2"
        let markdown = """
            ```gazette-chart
            \(body)
            ```

            ```text
            \(body)
            ```

                \(body.replacingOccurrences(of: "\n", with: "\n    "))

            ~~~ gazette-chart
            \(body)
            ~~~

            > ```gazette-chart
            > \(body.replacingOccurrences(of: "\n", with: "\n> "))
            > ```
            """
        let expected = ChartBlock(title: nil, rows: [.init(label: "A", posts: 1, views: 2)])
        #expect(try Self.charts(markdown) == [expected, nil, nil, expected, expected])
    }
}
