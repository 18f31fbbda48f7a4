#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Document metadata written into the PDF's info dictionary.
public struct PDFDocumentInfo: Sendable {
    public var title: String
    public var author: String
    public var subject: String?
    /// `nil` means "now". A fixed date makes the output byte-identical for the same input.
    public var creationDate: Date?

    public init(title: String, author: String = "Gazette", subject: String? = nil, creationDate: Date? = nil) {
        self.title = title
        self.author = author
        self.subject = subject
        self.creationDate = creationDate
    }
}

/// A finished PDF and its true page count.
public struct RenderedPDF: Sendable {
    public let data: Data
    public let pages: Int
}

/// Presentation options (the MCP tool's `style` argument maps onto this).
public struct PDFStyle: Sendable, Equatable {
    public static let fontSizeRange: ClosedRange<Double> = 8...24

    /// Body text size in points; headings, code and tables scale with it.
    public var fontSize: Double

    public init(fontSize: Double = 12) {
        self.fontSize = fontSize
    }

    func validated() throws(PDFError) -> PDFStyle {
        guard fontSize.isFinite, Self.fontSizeRange.contains(fontSize) else {
            throw .invalidInput("style.fontSize must be between 8 and 24 points, got \(fontSize)")
        }
        return self
    }
}

/// Limits that keep one request from exhausting the process.
public enum PDFLimits {
    /// Largest accepted markdown input, in bytes.
    public static let maxInputBytes = 2 * 1024 * 1024
    /// Largest number of pages a document may produce.
    public static let maxPages = 500
}
