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
    /// The pictures the document names that are not in the PDF (their alt text took their place), in document
    /// order. Always empty when no `PDFImageProvider` was given.
    public let imageSkips: [PDFImageSkip]

    public init(data: Data, pages: Int, imageSkips: [PDFImageSkip] = []) {
        self.data = data
        self.pages = pages
        self.imageSkips = imageSkips
    }
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
    /// Largest image accepted, in bytes (also `LocalImageFiles`' default cap).
    public static let maxImageBytes = 10 * 1024 * 1024
    /// Largest width or height of an image, in pixels, read from its header before anything is decoded.
    public static let maxImageSide = 8_192
    /// Largest number of pixels of an image (4096 × 4096: 64 MB once decoded to 32-bit pixels).
    public static let maxImagePixels = 4_096 * 4_096
    /// Pictures per document; the ones after these are shown as alt text.
    public static let maxImagesPerDocument = 200
    /// Largest height of a picture on the page, as a fraction of the page body's height (a 3:2 landscape photo still fills
    /// the column's width).
    public static let maxImageHeightFraction = 0.45
    /// A picture that does not fit in the rest of its page is drawn smaller there (aspect ratio kept, same pixels) when
    /// that space is at least this fraction of its height…
    public static let minShrunkImageFraction = 0.6
    /// …and at least this many points (4 cm); otherwise it moves to the next page.
    public static let minShrunkImageHeight = 4 / 2.54 * 72
}
