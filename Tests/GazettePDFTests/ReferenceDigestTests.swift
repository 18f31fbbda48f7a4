import Foundation
import GazetteTestSupport
import Testing
@testable import GazettePDF

/// The benchmark workload checked with poppler's own tools.
@Suite struct ReferenceDigestTests {
    @Test(.needsPoppler) func pageCountMatchesPdfinfoAndMetadataIsSet() throws {
        let pdf = try PDFRenderer().render(markdown: try referenceDigest(), info: .test("Daily digest — Ежедневный"))
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        let info = try inspector.info()
        #expect(pdf.pages > 1)
        #expect(info["Pages"] == "\(pdf.pages)")
        #expect(info["Title"] == "Daily digest — Ежедневный")
        #expect(info["Author"] == "Gazette")
        #expect(info["Subject"] == "tests")
        #expect(info["CreationDate"]?.contains("2024") == true)
        #expect(info["Page size"]?.contains("(A4)") == true)
    }

    @Test(.needsPoppler) func textLayerHoldsLatinCyrillicAndEmojiAdjacentText() throws {
        let pdf = try PDFRenderer().render(markdown: try referenceDigest(), info: .test())
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        let text = try inspector.text()
        for expected in ["Gazette — Daily Digest", "Tech Daily (@tech_daily)", "Городские новости",
                         "Культура и искусство", "Разбор новой инициативы", "retry_after=3", "editor's pick",
                         "Markets Now", "212.6K"] {
            #expect(text.contains(expected), "pdftotext lacks \(expected)")
        }
    }

    @Test(.needsPoppler) func emojiAreInTheTextLayerAndEmbeddedOnceAtHighResolution() throws {
        let markdown = try referenceDigest()
        let pdf = try PDFRenderer().render(markdown: markdown, info: .test())
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        let text = try inspector.text()
        #expect(text.contains("📰 Gazette — Daily Digest"))
        #expect(text.components(separatedBy: "👁").count - 1 == 100)
        #expect(text.contains("🛠️") || text.contains("🛠"))
        let images = try inspector.images()
        let distinctEmoji = Set(EmojiAtlas.clusters(in: Array(markdown.utf8)).map(\.text))
        #expect(images.count > distinctEmoji.count)  // many uses...
        // ...but one image (plus its soft mask) per distinct emoji and resolution (text or heading),
        // however often it occurs.
        #expect(Set(images.map(\.object)).count <= 2 * distinctEmoji.count)
        #expect(images.allSatisfy { $0.ppi >= 150 })
    }

    @Test(.needsPoppler) func everyPostLinkIsClickable() throws {
        let markdown = try referenceDigest()
        let pdf = try PDFRenderer().render(markdown: markdown, info: .test())
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        let expected = Set(markdown.matches(of: /\]\((https:\/\/t\.me\/[a-z_]+\/\d+)\)/).map { String($0.output.1) })
        #expect(expected.count == 100)
        let found = Set(try inspector.linkURLs())
        #expect(found == expected)
    }

    @Test(.needsPoppler) func outlineHasTheTitleAndOneNestedEntryPerSection() throws {
        let pdf = try PDFRenderer().render(markdown: try referenceDigest(), info: .test())
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        let outline = inspector.outline()
        #expect(outline.first?.title == "📰 Gazette — Daily Digest")
        #expect(outline.first?.depth == 1)
        let sections = outline.dropFirst()
        #expect(sections.count == 11)  // Overview + 10 channel sections
        #expect(sections.allSatisfy { $0.depth == 2 })
        #expect(sections.contains { $0.title == "7. 🏙️ Городские новости (@gorod_novosti)" })
    }

    @Test(.needsPoppler) func footerShowsPageOfTotalOnEveryPage() throws {
        let pdf = try PDFRenderer().render(markdown: try referenceDigest(), info: .test())
        let inspector = try PDFInspector(pdf)
        defer { inspector.remove() }
        for page in 1...pdf.pages {
            #expect(try inspector.text(page: page).contains("\(page) / \(pdf.pages)"), "page \(page) lacks its footer")
        }
    }

    @Test func sameInputAndDateGiveByteIdenticalOutput() throws {
        let markdown = try referenceDigest()
        let first = try PDFRenderer().render(markdown: markdown, info: .test())
        let renderer = PDFRenderer()
        _ = try renderer.render(markdown: "# warm-up\n\nother text 🚀", info: .test())
        let second = try renderer.render(markdown: markdown, info: .test())
        #expect(first.data == second.data)
        var later = PDFDocumentInfo.test()
        later.creationDate = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try renderer.render(markdown: markdown, info: later).data != first.data)
    }

    @Test func rendersConcurrentlyOnOneRenderer() async throws {
        let markdown = try referenceDigest()
        let renderer = PDFRenderer()
        let expected = try renderer.render(markdown: markdown, info: .test()).data
        let results = try await withThrowingTaskGroup(of: Data.self) { group in
            for _ in 0..<4 {
                group.addTask { try renderer.render(markdown: markdown, info: .test()).data }
            }
            return try await group.reduce(into: [Data]()) { $0.append($1) }
        }
        #expect(results.count == 4)
        #expect(results.allSatisfy { $0 == expected })
    }
}
