#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// Markdown (CommonMark + GFM) → PDF, in process: cmark-gfm parses, Pango shapes and wraps,
/// cairo writes the PDF. Thread-safe: documents are rendered one at a time per renderer, and the
/// Pango font map and context are reused across documents (fonts load once).
public final class PDFRenderer: Sendable {
    private let engine = Mutex<TextEngine?>(nil)

    public init() {}

    public func render(markdown: String, info: PDFDocumentInfo) throws(PDFError) -> RenderedPDF {
        try render(markdown: markdown, info: info, style: PDFStyle())
    }

    public func render(markdown: String, info: PDFDocumentInfo, style: PDFStyle) throws(PDFError) -> RenderedPDF {
        try render(markdown: markdown, info: info, style: style, images: nil)
    }

    /// `images` hands over the bytes of the pictures the markdown names; without it (nil) an image is shown as the link
    /// `[image: alt]`. The renderer never fetches anything itself.
    public func render(markdown: String, info: PDFDocumentInfo, style: PDFStyle,
                       images: (any PDFImageProvider)?) throws(PDFError) -> RenderedPDF {
        let size = markdown.utf8.count
        guard size <= PDFLimits.maxInputBytes else { throw .inputTooLarge(bytes: size, limit: PDFLimits.maxInputBytes) }
        let bytes = Array(markdown.utf8)
        return try render(utf8: bytes, info: info, style: style, images: images)
    }

    /// Validates that `markdownData` is UTF-8 and names the first bad byte if it is not.
    public func render(markdownData: Data, info: PDFDocumentInfo) throws(PDFError) -> RenderedPDF {
        try render(markdownData: markdownData, info: info, style: PDFStyle())
    }

    public func render(markdownData: Data, info: PDFDocumentInfo, style: PDFStyle) throws(PDFError) -> RenderedPDF {
        try render(markdownData: markdownData, info: info, style: style, images: nil)
    }

    /// Validates UTF-8 as above; `images` as in `render(markdown:info:style:images:)`.
    public func render(markdownData: Data, info: PDFDocumentInfo, style: PDFStyle,
                       images: (any PDFImageProvider)?) throws(PDFError) -> RenderedPDF {
        guard markdownData.count <= PDFLimits.maxInputBytes else {
            throw .inputTooLarge(bytes: markdownData.count, limit: PDFLimits.maxInputBytes)
        }
        let bytes = [UInt8](markdownData)
        if let offset = UTF8Check.firstInvalidByte(in: bytes) {
            throw .invalidInput("markdown is not valid UTF-8 (first bad byte at offset \(offset))")
        }
        return try render(utf8: bytes, info: info, style: style, images: images)
    }

    private func render(utf8 bytes: [UInt8], info: PDFDocumentInfo, style: PDFStyle,
                        images: (any PDFImageProvider)?) throws(PDFError) -> RenderedPDF {
        let style = try style.validated()
        let date = info.creationDate ?? Date()
        // Pictures are looked up while reading, outside the lock: a slow provider holds up no other document.
        let resolver = images.map(ImageResolver.init(provider:))
        let blocks = try bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(PDFError) in try MarkdownReader.read(buffer, images: resolver) }
        }.get()
        let outcome: Result<(data: Data, pages: Int, failedImages: [PDFImageSkip]), PDFError> = engine.withLock { slot in
            Result { () throws(PDFError) in
                let engine: TextEngine
                if let existing = slot { engine = existing } else {
                    engine = try TextEngine()
                    slot = engine
                }
                engine.beginDocument()
                var paginator = Paginator(engine: engine, geometry: .a4, fontSize: style.fontSize, maxPages: PDFLimits.maxPages)
                let document = try paginator.layout(blocks)
                let writer = PDFWriter(engine: engine, geometry: .a4, fontSize: style.fontSize)
                let pages = document.pages.count
                let data = try writer.write(consume document, info: info, date: date)
                return (data, pages, writer.failedImages.skips)
            }
        }
        let done = try outcome.get()
        return RenderedPDF(data: done.data, pages: done.pages, imageSkips: (resolver?.skips ?? []) + done.failedImages)
    }
}

enum UTF8Check {
    /// Offset of the first byte that does not start a valid UTF-8 sequence, or nil if all is valid.
    static func firstInvalidByte(in bytes: [UInt8]) -> Int? {
        var offset = 0
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error(let length): _ = length; return offset
            }
        }
    }
}
