import Foundation
import GazettePDF
import GazetteMetrics

/// The seed's `pdf_*` metrics, recorded by whichever process renders (server, bot, CLI) on its own registry.
public struct PDFMetrics: Sendable {
    public static let durationBuckets: [Double] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]
    public static let sizeBuckets: [Double] = [10_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000,
                                               5_000_000, 10_000_000, 25_000_000]
    public static let pageBuckets: [Double] = [1, 2, 5, 10, 20, 50, 100, 200, 500]

    public let duration: Histogram
    public let fileSize: Histogram
    public let pages: Histogram
    private let errors: [PDFError.ErrorType: Counter]

    public init(registry: MetricRegistry) {
        duration = registry.makeHistogram(
            name: "pdf_generation_duration_seconds",
            buckets: Self.durationBuckets,
            help: "Time to render one PDF digest")
        fileSize = registry.makeHistogram(name: "pdf_file_size_bytes", buckets: Self.sizeBuckets,
                                               help: "Size of rendered PDF files")
        pages = registry.makeHistogram(name: "pdf_pages_total", buckets: Self.pageBuckets,
                                            help: "Pages per rendered PDF")
        var errors: [PDFError.ErrorType: Counter] = [:]
        for type in PDFError.ErrorType.allCases {
            errors[type] = registry.makeCounter(name: "pdf_generation_errors_total", labels: [("error_type", type.rawValue)],
                                                help: "PDF renders that failed, by error type")
        }
        self.errors = errors
    }

    func recordFailure(_ error: PDFError) {
        errors[error.errorType]?.increment()
    }
}
