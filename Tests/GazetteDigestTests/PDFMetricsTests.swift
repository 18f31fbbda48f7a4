import Foundation
import GazettePDF
import GazetteMetrics
import Testing
@testable import GazetteDigest

@Suite struct PDFMetricsTests {
    @Test func meteredRendererRecordsSuccessAndFailure() async throws {
        let registry = MetricRegistry()
        let metrics = PDFMetrics(registry: registry)
        let ok = MeteredRenderer(renderer: PDFRenderer(), metrics: metrics)
        let pdf = try await ok.render(markdown: "# Hello\n\nПривет, мир!", info: PDFDocumentInfo(title: "t"))
        #expect(pdf.pages >= 1)
        let failing = MeteredRenderer(renderer: CountingRenderer(failing: .tooManyPages(limit: 500)), metrics: metrics)
        await #expect(throws: PDFError.self) { try await failing.render(markdown: "x", info: PDFDocumentInfo(title: "t")) }

        let text = registry.text()
        // Both attempts observe the duration (the alerts divide errors by attempts); only the success has a size.
        #expect(text.contains("pdf_generation_duration_seconds_count 2"))
        #expect(text.contains("pdf_file_size_bytes_count 1"))
        #expect(text.contains("pdf_file_size_bytes_sum \(Double(pdf.data.count))") || text.contains("pdf_file_size_bytes_sum \(pdf.data.count)"))
        #expect(text.contains(#"pdf_generation_errors_total{error_type="too_many_pages"} 1"#))
        #expect(text.contains(#"pdf_generation_errors_total{error_type="render_failed"} 0"#))
    }

    @Test func durationBucketsIncludeTheAlertThresholds() {
        #expect(PDFMetrics.durationBuckets.contains(30))
        #expect(PDFMetrics.durationBuckets.contains(120))
        let text = { let r = MetricRegistry(); _ = PDFMetrics(registry: r); return r }().text()
        #expect(text.contains(#"pdf_generation_duration_seconds_bucket{le="30.0"}"#))
        #expect(text.contains(#"pdf_generation_duration_seconds_bucket{le="120.0"}"#))
    }
}
