import Foundation
import GazetteCore
import GazettePDF
import Tracing

/// Anything that turns markdown into a PDF; `PDFRenderer` in production, a failing stand-in in tests.
public protocol MarkdownPDFRendering: Sendable {
    func render(markdown: String, info: PDFDocumentInfo, style: PDFStyle) throws(PDFError) -> RenderedPDF
    /// With the bytes of the pictures the markdown names (nil: their alt text).
    func render(markdown: String, info: PDFDocumentInfo, style: PDFStyle, images: (any PDFImageProvider)?) throws(PDFError) -> RenderedPDF
}

extension MarkdownPDFRendering {
    /// A stand-in that draws no pictures renders their alt text.
    public func render(markdown: String, info: PDFDocumentInfo, style: PDFStyle,
                       images: (any PDFImageProvider)?) throws(PDFError) -> RenderedPDF {
        try render(markdown: markdown, info: info, style: style)
    }
}

extension PDFRenderer: MarkdownPDFRendering {}

/// Renders and records the `pdf_*` metrics the same way in every process (server, bot, CLI).
public struct MeteredRenderer: Sendable {
    public let renderer: any MarkdownPDFRendering
    public let metrics: PDFMetrics

    public init(renderer: any MarkdownPDFRendering = PDFRenderer(), metrics: PDFMetrics) {
        self.renderer = renderer
        self.metrics = metrics
    }

    /// Every attempt, failed or not, observes `pdf_generation_duration_seconds`, so the alerts' error ratio
    /// `errors / duration_count` is errors per attempt. The render itself (20–100 ms of CPU) runs on
    /// `BlockingWork`'s threads; the span and the metrics stay in the caller's task.
    public func render(markdown: String, info: PDFDocumentInfo, style: PDFStyle = PDFStyle(),
                       images: (any PDFImageProvider)? = nil) async throws(PDFError) -> RenderedPDF {
        let span = startSpan("pdf.render")
        defer { span.end() }
        let clock = ContinuousClock()
        let start = clock.now
        do throws(PDFError) {
            let renderer = self.renderer
            let pdf = try await BlockingWork.run { () throws(PDFError) in
                try renderer.render(markdown: markdown, info: info, style: style, images: images)
            }
            metrics.duration.record(clock.now - start)
            metrics.fileSize.record(Double(pdf.data.count))
            metrics.pages.record(Double(pdf.pages))
            span.attributes["gazette.pdf.pages"] = pdf.pages
            return pdf
        } catch {
            metrics.duration.record(clock.now - start)
            metrics.recordFailure(error)
            span.attributes["gazette.error_type"] = error.errorType.rawValue
            throw error
        }
    }
}
