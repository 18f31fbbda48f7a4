import Foundation
import GazettePDF
import GazetteTestSupport
import Testing

extension PDFInspector {
    init(_ pdf: RenderedPDF) throws {
        try self.init(pdf.data)
    }
}

extension PDFDocumentInfo {
    /// A fixed date so that tests are reproducible.
    static func test(_ title: String = "Test") -> PDFDocumentInfo {
        PDFDocumentInfo(title: title, subject: "tests", creationDate: Date(timeIntervalSince1970: 1_715_904_000))
    }
}

/// The common PDF benchmark workload (bench/pdf/reference-digest.md, a copy of the shared generator's output).
func referenceDigest(_ file: String = #filePath) throws -> String {
    let root = URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return try String(contentsOf: root.appendingPathComponent("bench/pdf/reference-digest.md"), encoding: .utf8)
}

extension Trait where Self == ConditionTrait {
    /// The test looks at the PDF with poppler-utils (`TestRequirement.poppler`: skipped without them, failed under
    /// `make test`).
    static var needsPoppler: Self { .enabled(if: TestRequirement.poppler.enabled, "needs poppler-utils") }
}
