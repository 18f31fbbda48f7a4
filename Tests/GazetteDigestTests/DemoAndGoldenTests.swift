import Foundation
import GazettePDF
import GazetteMetrics
import Testing
@testable import GazetteDigest

@Suite struct DemoAndGoldenTests {
    static let now = Date(timeIntervalSince1970: 1_795_937_600)  // 2026-11-29 07:33:20 UTC
    static let goldenURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/demo-digest.md")

    static func renderer() -> MeteredRenderer {
        MeteredRenderer(renderer: PDFRenderer(), metrics: PDFMetrics(registry: MetricRegistry()))
    }

    /// The digest of the shipped sample posts at a fixed time must match the reviewed golden file byte for byte.
    @Test func demoMarkdownMatchesTheGoldenFile() async throws {
        let export = try await DigestExport.demo(format: .markdown, renderer: Self.renderer(), now: Self.now, version: "golden")
        let markdown = String(decoding: export.data, as: UTF8.self)
        guard FileManager.default.fileExists(atPath: Self.goldenURL.path) else {
            // First run: record the file for review, and fail so that it is looked at before it is committed.
            try export.data.write(to: Self.goldenURL)
            Issue.record("recorded \(Self.goldenURL.path); review it and run the tests again")
            return
        }
        let golden = try String(contentsOf: Self.goldenURL, encoding: .utf8)
        #expect(markdown == golden)
        #expect(export.channels == 4)
        #expect(export.posts == 17)  // every sample post; the cross-post is one story with two links
    }

    @Test func demoPDFAndTextNeedNoDatabase() async throws {
        let pdf = try await DigestExport.demo(format: .pdf, renderer: Self.renderer(), now: Self.now)
        #expect(pdf.data.starts(with: Data("%PDF".utf8)))
        #expect((pdf.pages ?? 0) >= 1)
        let text = try await DigestExport.demo(format: .text, renderer: Self.renderer(), now: Self.now)
        let body = String(decoding: text.data, as: UTF8.self)
        #expect(body.contains("Городской пульс"))
        #expect(body.contains("Server-side Swift Weekly"))
        #expect(body.contains("https://t.me/city_pulse_demo/"))
        #expect(text.report == "text digest: 4 channels, 17 posts, \(text.data.count) bytes")  // stories merge, nothing dropped
    }
}
