import CCmarkGFM
import GazetteMarkdown
import Testing

@Suite struct MarkdownDocumentTests {
    /// cmark-gfm is set up by whichever parse comes first, from any thread: many documents parsed at once, each with
    /// its extensions, all see the same tree shapes.
    @Test("parsing from many tasks at once: extensions found, trees whole")
    func concurrentParses() async throws {
        let markdown = "| a | b |\n|---|---|\n| 1 | ~~2~~ |\n\n- [x] done\n"
        let shapes = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<64 {
                group.addTask {
                    let document = try MarkdownDocument(parsing: markdown, extensions: MarkdownExtension.allCases)
                    return document.nodes { _ in true }.map { String(cString: cmark_node_get_type_string($0)) }
                }
            }
            var all: [[String]] = []
            for try await shape in group { all.append(shape) }
            return all
        }
        #expect(shapes.count == 64)
        #expect(Set(shapes.map { $0.joined(separator: ",") }).count == 1)
        #expect(shapes.first?.contains("table") == true && shapes.first?.contains("strikethrough") == true)
        #expect(shapes.first?.contains("tasklist") == true)
    }

    @Test("blocks of another document move into the tree in place of a node")
    func replace() throws {
        let document = try MarkdownDocument(parsing: "before\n\n```x\ncode\n```\n\nafter\n", extensions: [.table])
        let code = try #require(document.nodes { cmark_node_get_type($0) == CMARK_NODE_CODE_BLOCK }.first)
        document.replace(code, withBlocksOf: try MarkdownDocument(parsing: "| h |\n|---|\n| c |\n\n**t**\n", extensions: [.table]))
        let html = try #require(document.html(options: CMARK_OPT_DEFAULT))
        #expect(html.contains("<p>before</p>\n<table>"))
        #expect(html.contains("<td>c</td>"))
        #expect(html.contains("<p><strong>t</strong></p>\n<p>after</p>"))
        #expect(!html.contains("code"))
    }

    @Test("invalid UTF-8 is replaced, never a failure")
    func invalidUTF8() throws {
        let bytes: [UInt8] = [0x61, 0xFF, 0xFE, 0x62]
        let html = try bytes.withUnsafeBufferPointer { try MarkdownDocument(parsing: $0, extensions: []).html(options: CMARK_OPT_VALIDATE_UTF8) }
        #expect(html == "<p>a\u{FFFD}\u{FFFD}b</p>\n")
    }
}
