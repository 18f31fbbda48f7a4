import CPangoCairo
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Collects the bytes cairo writes (straight into the `Data` that is returned: no second copy of the document).
private final class ByteSink {
    var data = Data()
    init() { data.reserveCapacity(256 * 1024) }
}

/// Draws a `PagedDocument` onto a cairo PDF surface: text, fills, rules, link annotations,
/// the "n / N" footer, outline and metadata.
struct PDFWriter {
    let engine: TextEngine
    let geometry: PageGeometry
    let fontSize: Double
    /// Pictures that turn out undecodable while their page is drawn (their headers were fine).
    let failedImages = FailedImages()

    final class FailedImages {
        var skips: [PDFImageSkip] = []
    }

    /// The surfaces of the pictures on the page being drawn.
    private let pagePictures = PagePictures()

    private final class PagePictures {
        var surfaces: [OpaquePointer] = []
    }

    /// Consumes the document so each page's layouts can be freed as soon as the page is written.
    func write(_ document: consuming PagedDocument, info: PDFDocumentInfo, date: Date) throws(PDFError) -> Data {
        let sink = ByteSink()
        // cairo writes into `sink` through an unretained pointer until the surface is destroyed, also on the error paths
        // below, where destroying an unfinished surface finishes (writes) it. Swift may release an object after its last
        // use, which on those paths is `passUnretained`: keep the sink alive until the surface is gone (this defer runs
        // after the surface's).
        defer { withExtendedLifetime(sink) {} }
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        guard let surface = cairo_pdf_surface_create_for_stream({ closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
            let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
            sink.data.append(data, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }, closure, geometry.width, geometry.height) else {
            throw .renderFailed("cairo could not create a PDF surface")
        }
        defer { cairo_surface_destroy(surface) }
        try check(cairo_surface_status(surface))

        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, info.title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, info.author)
        if let subject = info.subject { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, subject) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Gazette")
        let stamp = Self.iso8601(date)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, stamp)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, stamp)

        guard let cr = cairo_create(surface) else { throw .renderFailed("cairo could not create a drawing context") }
        defer { cairo_destroy(cr) }
        var pages = document.pages
        let outline = document.outline
        _ = consume document
        let pageCount = pages.count
        for index in pages.indices {
            for op in pages[index] { draw(op, on: cr) }
            pages[index] = []
            drawFooter(page: index + 1, of: pageCount, on: cr)
            cairo_show_page(cr)
            // A picture's surface lives until its page is written: destroyed while cairo's recording of the page still
            // used it, cairo would first copy its pixels (a snapshot), all of them, even for a JPEG it never reads.
            for picture in pagePictures.surfaces { cairo_surface_destroy(picture) }
            pagePictures.surfaces = []
        }
        try check(cairo_status(cr))

        var parents: Int32 = 0
        for entry in outline {
            let target = "page=\(entry.page) pos=[\(Self.number(geometry.contentLeft)) \(Self.number(entry.y))]"
            if entry.level == 1 {
                parents = cairo_pdf_surface_add_outline(surface, 0, entry.title, target, CAIRO_PDF_OUTLINE_FLAG_OPEN)
            } else {
                _ = cairo_pdf_surface_add_outline(surface, parents, entry.title, target, cairo_pdf_outline_flags_t(0))
            }
        }
        cairo_surface_finish(surface)
        try check(cairo_surface_status(surface))
        return sink.data
    }

    private func check(_ status: cairo_status_t) throws(PDFError) {
        guard status == CAIRO_STATUS_SUCCESS else {
            throw .renderFailed(String(cString: cairo_status_to_string(status)))
        }
    }

    // MARK: Drawing

    private func draw(_ op: DrawOp, on cr: OpaquePointer) {
        switch op {
        case .line(let box, let index, let x, let top):
            drawLine(box, index: index, x: x, top: top, on: cr)
        case .box(let box, let x, let y):
            for index in box.lines.indices { drawLine(box, index: index, x: x, top: y, on: cr) }
        case .fill(let rect, let color):
            cairo_set_source_rgb(cr, color.red, color.green, color.blue)
            cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
            cairo_fill(cr)
        case .hline(let x, let y, let width, let thickness, let color):
            cairo_set_source_rgb(cr, color.red, color.green, color.blue)
            cairo_rectangle(cr, x, y - thickness / 2, width, thickness)
            cairo_fill(cr)
        case .image(let block, let rect, let pixelsFor):
            drawImage(block, in: rect, pixelsForWidth: pixelsFor, on: cr)
        }
    }

    /// The picture, clickable when it sits in a link; when it cannot be decoded after all (its header was fine), its
    /// alt text in italics at the top of the space it was given.
    private func drawImage(_ block: ImageBlock, in rect: Rect, pixelsForWidth: Double, on cr: OpaquePointer) {
        switch ImagePainter.paint(block.image, in: rect, pixelsForWidth: pixelsForWidth, on: cr) {
        case .success(let surface):
            pagePictures.surfaces.append(surface)
        case .failure(let reason):
            failedImages.skips.append(PDFImageSkip(destination: block.destination, reason: reason))
            let box = engine.plain(block.alt.isEmpty ? "[image]" : block.alt, role: .body, size: fontSize, style: .italic, width: rect.width)
            for index in box.lines.indices { drawLine(box, index: index, x: rect.x, top: rect.y, on: cr) }
        }
        if let url = block.link {
            let area = "\(Self.number(rect.x)) \(Self.number(rect.y)) \(Self.number(rect.width)) \(Self.number(rect.height))"
            cairo_tag_begin(cr, "Link", "rect=[\(area)] uri='\(Self.escapeAttribute(url))'")
            cairo_tag_end(cr, "Link")
        }
    }

    /// `top` is the page position of the box's top edge; the line sits at its own offset in the box.
    private func drawLine(_ box: TextBox, index: Int, x: Double, top: Double, on cr: OpaquePointer) {
        let line = box.lines[index]
        guard let pangoLine = box.line(index) else { return }
        cairo_set_source_rgb(cr, RGB.text.red, RGB.text.green, RGB.text.blue)
        cairo_move_to(cr, x + line.x, top + line.baseline)
        pango_cairo_show_layout_line(cr, pangoLine)
        guard !box.links.isEmpty else { return }
        let start = Int(pangoLine.pointee.start_index)
        let end = start + Int(pangoLine.pointee.length)
        for link in box.links where link.end > start && link.start < end {
            var ranges: UnsafeMutablePointer<Int32>?
            var count: Int32 = 0
            pango_layout_line_get_x_ranges(pangoLine, Int32(max(link.start, start)), Int32(min(link.end, end)), &ranges, &count)
            guard let ranges, count > 0 else { continue }
            // One rectangle per link per line, even when a script change splits the text into runs.
            var low = Int32.max, high = Int32.min
            for pair in 0..<Int(count) {
                low = min(low, ranges[2 * pair])
                high = max(high, ranges[2 * pair + 1])
            }
            g_free(ranges)
            let rect = "\(Self.number(x + points(low))) \(Self.number(top + line.top)) \(Self.number(points(high - low))) \(Self.number(line.height))"
            cairo_tag_begin(cr, "Link", "rect=[\(rect)] uri='\(Self.escapeAttribute(link.url))'")
            cairo_tag_end(cr, "Link")
        }
    }

    private func drawFooter(page: Int, of count: Int, on cr: OpaquePointer) {
        let box = engine.plain("\(page) / \(count)", role: .small, size: max(fontSize * 0.75, 8))
        let y = geometry.height - geometry.margin / 2 - box.height / 2
        cairo_set_source_rgb(cr, RGB.muted.red, RGB.muted.green, RGB.muted.blue)
        for index in box.lines.indices {
            let line = box.lines[index]
            guard let pangoLine = box.line(index) else { continue }
            cairo_move_to(cr, (geometry.width - box.width) / 2 + line.x, y + line.baseline)
            pango_cairo_show_layout_line(cr, pangoLine)
        }
    }

    // MARK: Formatting

    /// Two decimals, '.' separator, independent of locale.
    static func number(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// cairo tag attribute strings are single-quoted; backslash and quote must be escaped.
    static func escapeAttribute(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "'") }) else { return value }
        var escaped = ""
        for character in value {
            if character == "\\" || character == "'" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// "2024-05-17T08:30:00Z" — the form cairo accepts for PDF dates. Plain arithmetic (days from the
    /// civil calendar) rather than `Calendar`, which would load ICU data for one timestamp.
    static func iso8601(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let time = "\(two(secondOfDay / 3_600)):\(two(secondOfDay % 3_600 / 60)):\(two(secondOfDay % 60))"
        return "\(year)-\(two(month))-\(two(day))T\(time)Z"
    }
}
