/// Places flow blocks onto A4 pages: line-by-line for text, row-by-row for tables (header rows
/// repeat after a page break), whole for charts. Every Pango layout is shaped exactly once; the
/// same layouts are later drawn by `PDFWriter`.
struct Paginator {
    static let maxParagraphBytes = 16 * 1024
    static let maxIndentLevels = 8

    let engine: TextEngine
    let geometry: PageGeometry
    let fontSize: Double
    let maxPages: Int

    private var pages: [[DrawOp]] = [[]]
    private var outline: [OutlineEntry] = []
    private var y: Double
    private var pageHasContent = false
    private var pendingSpace = 0.0
    private var lastQuote: (page: Int, bottom: Double, depth: Int)?

    init(engine: TextEngine, geometry: PageGeometry, fontSize: Double, maxPages: Int) {
        self.engine = engine
        self.geometry = geometry
        self.fontSize = fontSize
        self.maxPages = maxPages
        self.y = geometry.contentTop
    }

    mutating func layout(_ blocks: [FlowBlock]) throws(PDFError) -> PagedDocument {
        for index in blocks.indices {
            try place(blocks[index], next: index + 1 < blocks.count ? blocks[index + 1] : nil)
        }
        return PagedDocument(pages: pages, outline: outline)
    }

    // MARK: Blocks

    private mutating func place(_ block: FlowBlock, next: FlowBlock?) throws(PDFError) {
        let frame = Frame(block: block, geometry: geometry, fontSize: fontSize)
        let em = fontSize
        var space = (before: 0.0, after: block.tight ? 0.25 * em : 0.7 * em)
        let startPage = pages.count - 1
        let firstTop: Double
        switch block.kind {
        case .paragraph(let text):
            firstTop = try placeParagraph(text, frame: frame, marker: block.marker, gap: gap(before: 0))
        case .heading(let level, let text):
            space = (before: (level <= 2 ? 1.1 : 0.8) * em, after: 0.45 * em)
            let size = em * Self.headingScale(level)
            let box = engine.box(text, role: .heading(level), size: size, width: frame.width, lineHeight: 1.15)
            // Keep a heading with at least two lines of what follows it, or with the picture that follows it at the
            // smallest size that picture may be drawn at on this page (`shrunkImageHeight`).
            let gapBefore = gap(before: space.before)
            var needed = box.height + space.after + 2.6 * em
            if let next, case .image(let image) = next.kind {
                let width = Frame(block: next, geometry: geometry, fontSize: fontSize).width
                let height = Self.imageSize(image.image.info, width: width, maxHeight: maxImageHeight).height
                // The heading's lines as `placeLines` reserves them, then the picture's gap and smallest height.
                let lines = box.lines.reduce(0.0) { $0 + $1.height }
                needed = lines + max(Self.imageSpaceBefore * em, space.after) + Self.smallestImageHeight(height) + Self.keepSlack
            }
            if pageHasContent, y + gapBefore + needed > geometry.contentBottom, next != nil {
                try newPage()
            }
            firstTop = try placeLines(box, frame: frame, marker: block.marker, gap: gap(before: space.before))
            if level <= 2 {
                let title = String(text.plainText.map { $0 == "\n" ? " " : $0 }.prefix(200)).trimmingSpaces()
                if !title.isEmpty { outline.append(OutlineEntry(title: title, level: level, page: startPage + 1, y: firstTop)) }
            }
        case .code(let source):
            space = (before: 0.3 * em, after: 0.8 * em)
            firstTop = try placeCode(source, frame: frame, marker: block.marker, gap: gap(before: space.before))
        case .rule:
            space = (before: 0.6 * em, after: 0.6 * em)
            firstTop = try reserve(height: 0.8, gap: gap(before: space.before))
            pages[pages.count - 1].append(.hline(x: frame.x, y: firstTop, width: frame.width, thickness: 0.8, .rule))
        case .table(let model):
            space.after = 0.9 * em
            if let table = TableLayout(model: model, engine: engine, width: frame.width, fontSize: em,
                                       maxRowHeight: geometry.contentHeight * 0.8) {
                firstTop = try placeTable(table, frame: frame, gap: gap(before: 0.2 * em))
            } else {
                firstTop = try placeTableAsText(model, frame: frame, marker: block.marker, gap: gap(before: 0))
            }
        case .chart(let chart):
            space = (before: 0.4 * em, after: 0.9 * em)
            let layout = ChartLayout(chart: chart, engine: engine, width: min(frame.width, 440), fontSize: em)
            firstTop = try reserve(height: layout.height, gap: gap(before: space.before))
            pages[pages.count - 1].append(contentsOf: layout.ops(x: frame.x, y: firstTop))
        case .image(let image):
            space = (before: Self.imageSpaceBefore * em, after: 0.8 * em)
            let size = Self.imageSize(image.image.info, width: frame.width, maxHeight: maxImageHeight)
            // A picture is never split. When it does not fit in the rest of the page it is drawn smaller there if that
            // space is a fair share of it (`shrunkImageHeight`); otherwise `reserve` moves it to the next page.
            let gapBefore = gap(before: space.before)
            var drawn = size
            if pageHasContent, let height = Self.shrunkImageHeight(size.height, room: geometry.contentBottom - (y + gapBefore)) {
                drawn = (size.width * height / size.height, height)
            }
            firstTop = try reserve(height: drawn.height, gap: gapBefore, frame: frame)
            pages[pages.count - 1].append(.image(image, Rect(x: frame.x, y: firstTop, width: drawn.width, height: drawn.height),
                                                 pixelsForWidth: size.width))
            if let marker = block.marker { drawMarker(marker, frame: frame, baseline: firstTop + 0.8 * em) }
        }
        _ = firstTop
        pendingSpace = space.after
        if frame.quoteDepth > 0 {
            lastQuote = (page: pages.count - 1, bottom: y, depth: frame.quoteDepth)
        } else {
            lastQuote = nil
        }
    }

    private var maxImageHeight: Double { geometry.contentHeight * PDFLimits.maxImageHeightFraction }

    /// A picture's size on the page: its natural size (one pixel is 0.75 pt, the CSS pixel, so small pictures are
    /// not blown up), at most the column's width and `maxHeight`, the aspect ratio kept.
    static func imageSize(_ info: PDFImageInfo, width: Double, maxHeight: Double) -> (width: Double, height: Double) {
        let aspect = Double(info.height) / Double(info.width)
        var w = min(Double(info.width) * 0.75, width)
        var h = w * aspect
        if h > maxHeight {
            h = maxHeight
            w = h / aspect
        }
        return (w, h)
    }

    /// Space above a picture, in ems.
    static let imageSpaceBefore = 0.4
    /// Points a heading keeps free beyond what its picture needs, so that rounding never separates them.
    static let keepSlack = 0.01

    /// The height a picture `height` points tall is drawn at when only `room` points are left on the page: nil when it
    /// fits as it is or when `room` is less than `PDFLimits.minShrunkImageFraction` of it or less than
    /// `PDFLimits.minShrunkImageHeight` (it moves to the next page then); otherwise `room`, rounded down to 0.01 pt.
    static func shrunkImageHeight(_ height: Double, room: Double) -> Double? {
        guard room < height, room >= smallestImageHeight(height) else { return nil }
        return (room * 100).rounded(.down) / 100
    }

    /// The smallest height a picture `height` points tall may be drawn at to stay on a page (its own height when it is
    /// too small to be shrunk).
    static func smallestImageHeight(_ height: Double) -> Double {
        min(height, max(height * PDFLimits.minShrunkImageFraction, PDFLimits.minShrunkImageHeight))
    }

    static func headingScale(_ level: Int) -> Double {
        switch level {
        case 1: 1.7
        case 2: 1.35
        case 3: 1.15
        default: 1.0
        }
    }

    /// Vertical space before the next piece: the larger of the previous block's "after" and this
    /// block's "before"; nothing at the top of a page.
    private func gap(before: Double) -> Double {
        pageHasContent ? max(pendingSpace, before) : 0
    }

    // MARK: Text

    private mutating func placeParagraph(_ text: StyledText, frame: Frame, marker: String?, gap: Double) throws(PDFError) -> Double {
        var first: Double?
        for (index, piece) in text.chunked(maxBytes: Self.maxParagraphBytes).enumerated() {
            let box = engine.box(piece, role: .body, size: fontSize, width: frame.width)
            let top = try placeLines(box, frame: frame, marker: index == 0 ? marker : nil, gap: index == 0 ? gap : 0)
            if first == nil { first = top }
        }
        return first ?? y
    }

    private mutating func placeLines(_ box: TextBox, frame: Frame, marker: String?, gap: Double) throws(PDFError) -> Double {
        var firstTop = y
        for (index, line) in box.lines.enumerated() {
            let top = try reserve(height: line.height, gap: index == 0 ? gap : 0, frame: frame)
            pages[pages.count - 1].append(.line(box, index: index, x: frame.x, top: top - line.top))
            if index == 0 {
                firstTop = top
                if let marker { drawMarker(marker, frame: frame, baseline: top + line.baseline - line.top) }
            }
        }
        if engine.overBudget { box.release() }
        return firstTop
    }

    private mutating func drawMarker(_ marker: String, frame: Frame, baseline: Double) {
        let box = engine.plain(marker, role: .body, size: fontSize)
        guard let line = box.lines.first else { return }
        let x = frame.x - box.width - 0.45 * fontSize
        pages[pages.count - 1].append(.box(box, x: x, y: baseline - line.baseline))
    }

    private mutating func placeCode(_ source: String, frame: Frame, marker: String?, gap: Double) throws(PDFError) -> Double {
        let pad = 0.45 * fontSize
        var text = StyledText()
        text.append(source)
        var firstTop: Double?
        for (pieceIndex, piece) in text.chunked(maxBytes: Self.maxParagraphBytes).enumerated() {
            let box = engine.box(piece, role: .mono, size: fontSize * 0.88, width: frame.width - 2 * pad, lineHeight: 1.25)
            for (index, line) in box.lines.enumerated() {
                let extraTop = index == 0 && pieceIndex == 0 ? pad : 0
                let extraBottom = index == box.lines.count - 1 ? pad : 0
                let height = extraTop + line.height + extraBottom
                let top = try reserve(height: height, gap: firstTop == nil ? gap : 0, frame: frame)
                pages[pages.count - 1].append(.fill(Rect(x: frame.x, y: top, width: frame.width, height: height), .codeBackground))
                pages[pages.count - 1].append(.line(box, index: index, x: frame.x + pad, top: top + extraTop - line.top))
                if firstTop == nil {
                    firstTop = top
                    if let marker { drawMarker(marker, frame: frame, baseline: top + extraTop + line.baseline - line.top) }
                }
            }
            if engine.overBudget { box.release() }
        }
        return firstTop ?? y
    }

    // MARK: Tables

    private mutating func placeTable(_ table: TableLayout, frame: Frame, gap: Double) throws(PDFError) -> Double {
        var firstTop: Double?
        for rowIndex in table.rows.indices {
            let height = table.rows[rowIndex].height
            let gapNow = firstTop == nil ? gap : 0
            if pageHasContent, y + gapNow + height > geometry.contentBottom {
                try newPage()
                if rowIndex >= table.headerRowCount {
                    for header in 0..<table.headerRowCount {
                        let headerTop = try reserve(height: table.rows[header].height, gap: 0, frame: frame)
                        drawRow(table, header, top: headerTop, frame: frame)
                    }
                }
            }
            let top = try reserve(height: height, gap: gapNow, frame: frame)
            drawRow(table, rowIndex, top: top, frame: frame)
            if firstTop == nil { firstTop = top }
        }
        return firstTop ?? y
    }

    private mutating func drawRow(_ table: TableLayout, _ index: Int, top: Double, frame: Frame) {
        let row = table.rows[index]
        if index < table.headerRowCount {
            pages[pages.count - 1].append(.fill(Rect(x: frame.x, y: top, width: table.width, height: row.height), .tableHeader))
        }
        for (column, cell) in row.cells.enumerated() {
            let x = frame.x + table.columnX[column] + table.padX + cell.offset
            pages[pages.count - 1].append(.box(cell.box, x: x, y: top + table.padY))
        }
        let thickness = index == table.headerRowCount - 1 ? 0.9 : 0.4
        pages[pages.count - 1].append(.hline(x: frame.x, y: top + row.height, width: table.width, thickness: thickness, .rule))
    }

    /// Tables too wide or too tall to draw as a grid become one line of text per row.
    private mutating func placeTableAsText(_ model: TableModel, frame: Frame, marker: String?, gap: Double) throws(PDFError) -> Double {
        var firstTop: Double?
        for row in model.rows {
            var text = StyledText()
            for (index, cell) in row.enumerated() {
                if index > 0 { text.append(" │ ", style: []) }
                text.append(utf8: cell.bytes, style: [])
            }
            let top = try placeParagraph(text, frame: frame, marker: firstTop == nil ? marker : nil,
                                         gap: firstTop == nil ? gap : 0.2 * fontSize)
            if firstTop == nil { firstTop = top }
        }
        return firstTop ?? y
    }

    // MARK: Space and pages

    /// Reserves `height` points below the cursor (after `gap`), starting a new page if needed,
    /// and returns the top of the reserved space. Also draws block-quote bars beside it.
    private mutating func reserve(height: Double, gap: Double, frame: Frame? = nil) throws(PDFError) -> Double {
        var top = y + gap
        if pageHasContent, top + height > geometry.contentBottom {
            try newPage()
            top = y
        }
        if let frame, frame.quoteDepth > 0 {
            var barTop = top
            if let last = lastQuote, last.page == pages.count - 1, last.depth >= 1 { barTop = min(barTop, last.bottom) }
            for level in 0..<frame.quoteDepth {
                let x = geometry.contentLeft + Double(level) * frame.quoteStep + 1
                pages[pages.count - 1].append(.fill(Rect(x: x, y: barTop, width: 2.2, height: top + height - barTop), .quoteBar))
            }
            lastQuote = (page: pages.count - 1, bottom: top + height, depth: frame.quoteDepth)
        }
        y = top + height
        pageHasContent = true
        return top
    }

    private mutating func newPage() throws(PDFError) {
        guard pages.count < maxPages else { throw .tooManyPages(limit: maxPages) }
        pages.append([])
        y = geometry.contentTop
        pageHasContent = false
        lastQuote = nil
    }
}

/// Horizontal placement of a block: indentation for quotes and lists, capped so that deep
/// nesting keeps a readable text width.
struct Frame {
    let x: Double
    let width: Double
    let quoteDepth: Int
    let quoteStep: Double

    init(block: FlowBlock, geometry: PageGeometry, fontSize: Double) {
        quoteStep = 1.1 * fontSize
        let listStep = 1.7 * fontSize
        quoteDepth = min(block.quoteDepth, Paginator.maxIndentLevels)
        let lists = min(block.listDepth, Paginator.maxIndentLevels)
        var indent = Double(quoteDepth) * quoteStep + Double(lists) * listStep
        indent = min(indent, geometry.contentWidth * 0.5)
        x = geometry.contentLeft + indent
        width = geometry.contentWidth - indent
    }
}
