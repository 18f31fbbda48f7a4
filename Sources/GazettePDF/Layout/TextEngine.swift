import CPangoCairo

/// Owns a PangoLayout; frees it with the last reference.
final class LayoutHandle {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { g_object_unref(UnsafeMutableRawPointer(pointer)) }
}

/// Geometry of one laid-out line of a `TextBox`, in points relative to the box's top-left corner.
struct TextLine {
    let x: Double
    let top: Double
    let height: Double
    let baseline: Double
}

/// Shaped, wrapped text ready to paginate and draw.
///
/// Normally the Pango layout lives from pagination to drawing (every paragraph is shaped once). For
/// huge documents the paginator may `release()` it after measuring, keeping only the geometry; the
/// layout is then rebuilt, deterministically and with the same line breaks, when its page is drawn.
/// That caps memory at a budget of shaped text instead of growing with the whole input.
final class TextBox {
    let lines: [TextLine]
    let links: [LinkSpan]
    let width: Double
    let height: Double
    private var layout: LayoutHandle?
    private var pointers: [UnsafeMutablePointer<PangoLayoutLine>] = []
    private let rebuild: () -> LayoutHandle

    init(layout: LayoutHandle, links: [LinkSpan], rebuild: @escaping () -> LayoutHandle) {
        self.layout = layout
        self.links = links
        self.rebuild = rebuild
        var lines: [TextLine] = []
        var pointers: [UnsafeMutablePointer<PangoLayoutLine>] = []
        var maxRight = 0.0
        if let iterator = pango_layout_get_iter(layout.pointer) {
            repeat {
                var logical = PangoRectangle()
                pango_layout_iter_get_line_extents(iterator, nil, &logical)
                if let line = pango_layout_iter_get_line_readonly(iterator) {
                    pointers.append(line)
                    lines.append(TextLine(x: points(logical.x), top: points(logical.y), height: points(logical.height),
                                          baseline: points(pango_layout_iter_get_baseline(iterator))))
                    maxRight = max(maxRight, points(logical.x + logical.width))
                }
            } while pango_layout_iter_next_line(iterator) != 0
            pango_layout_iter_free(iterator)
        }
        self.lines = lines
        self.pointers = pointers
        var width: Int32 = 0, height: Int32 = 0
        pango_layout_get_size(layout.pointer, &width, &height)
        self.width = maxRight
        self.height = points(height)
    }

    /// Frees the Pango layout; geometry stays, the layout is rebuilt on demand.
    func release() {
        pointers = []
        layout = nil
    }

    /// The Pango line to draw (rebuilding the layout first if it was released).
    func line(_ index: Int) -> UnsafeMutablePointer<PangoLayoutLine>? {
        if layout == nil {
            let rebuilt = rebuild()
            var pointers: [UnsafeMutablePointer<PangoLayoutLine>] = []
            if let lines = pango_layout_get_lines_readonly(rebuilt.pointer) {
                var node: UnsafeMutablePointer<GSList>? = lines
                while let current = node {
                    if let data = current.pointee.data { pointers.append(data.assumingMemoryBound(to: PangoLayoutLine.self)) }
                    node = current.pointee.next
                }
            }
            layout = rebuilt
            self.pointers = pointers
        }
        return pointers.indices.contains(index) ? pointers[index] : nil
    }
}

func points(_ pangoUnits: Int32) -> Double { Double(pangoUnits) / Double(PANGO_SCALE) }
func pangoUnits(_ points: Double) -> Int32 { Int32((points * Double(PANGO_SCALE)).rounded()) }

/// What kind of text a layout holds; decides the base font.
enum TextRole: Hashable {
    case body
    case heading(Int)
    case mono
    case small
}

/// Pango font map and context shared by every document a renderer draws, so fonts are loaded
/// and fontconfig fallback is resolved once per process, not once per document.
final class TextEngine {
    static let sansFamily = "DejaVu Sans"
    static let monoFamily = "DejaVu Sans Mono"

    private let fontMap: UnsafeMutablePointer<PangoFontMap>
    private let context: OpaquePointer
    private var fonts: [FontKey: OpaquePointer] = [:]
    private let emoji: EmojiAtlas

    private struct FontKey: Hashable {
        var role: TextRole
        var size: Double
    }

    init() throws(PDFError) {
        guard let map = pango_cairo_font_map_new() else { throw .renderFailed("could not create a Pango font map") }
        guard let context = pango_font_map_create_context(map) else {
            g_object_unref(UnsafeMutableRawPointer(map))
            throw .renderFailed("could not create a Pango context")
        }
        fontMap = map
        self.context = context
        // PDF points: without this pangocairo assumes 96 dpi and "12" comes out as 16 pt.
        pango_cairo_context_set_resolution(context, 72)
        // Device-independent metrics: no hinting, unrounded positions (same output on every machine).
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
        pango_context_set_round_glyph_positions(context, 0)
        // A fixed language keeps font fallback independent of the environment's locale.
        pango_context_set_language(context, pango_language_from_string("en"))
        emoji = EmojiAtlas(context: context)
        pango_cairo_context_set_shape_renderer(context, { cr, shape, doPath, data in
            guard let cr, let shape, let data, doPath == 0 else { return }
            Unmanaged<EmojiAtlas>.fromOpaque(data).takeUnretainedValue().draw(cr, shape)
        }, Unmanaged.passUnretained(emoji).toOpaque(), nil)
    }

    /// Called once per document before any layout is made.
    func beginDocument() {
        shapedBytes = 0
        emoji.beginDocument()
    }

    deinit {
        plainBoxes.removeAll()
        for description in fonts.values { pango_font_description_free(description) }
        g_object_unref(UnsafeMutableRawPointer(context))
        g_object_unref(UnsafeMutableRawPointer(fontMap))
    }

    private func font(_ role: TextRole, size: Double) -> OpaquePointer {
        let key = FontKey(role: role, size: size)
        if let cached = fonts[key] { return cached }
        let description = pango_font_description_new()!
        switch role {
        case .mono:
            pango_font_description_set_family(description, Self.monoFamily)
        case .heading:
            pango_font_description_set_family(description, Self.sansFamily)
            pango_font_description_set_weight(description, PANGO_WEIGHT_BOLD)
        case .body, .small:
            pango_font_description_set_family(description, Self.sansFamily)
        }
        pango_font_description_set_size(description, pangoUnits(size))
        fonts[key] = description
        return description
    }

    /// Shapes and wraps `text` to `width` points (nil: no wrapping).
    func box(_ text: StyledText, role: TextRole, size: Double, width: Double?,
             alignment: TableAlignment = .left, lineHeight: Double = 1.2, ellipsize: Bool = false) -> TextBox {
        shapedBytes += text.bytes.count
        let make = { [unowned self] in
            self.layout(text, role: role, size: size, width: width, alignment: alignment, lineHeight: lineHeight, ellipsize: ellipsize)
        }
        return TextBox(layout: make(), links: text.links, rebuild: make)
    }

    /// Bytes of text shaped in the current document; past `shapedBytesBudget` the paginator releases
    /// layouts after measuring them.
    private(set) var shapedBytes = 0
    static let shapedBytesBudget = 256 * 1024
    var overBudget: Bool { shapedBytes > Self.shapedBytesBudget }

    private func layout(_ text: StyledText, role: TextRole, size: Double, width: Double?,
                        alignment: TableAlignment, lineHeight: Double, ellipsize: Bool) -> LayoutHandle {
        let layout = LayoutHandle(pango_layout_new(context)!)
        let pointer = layout.pointer
        pango_layout_set_font_description(pointer, font(role, size: size))
        if let width {
            pango_layout_set_width(pointer, pangoUnits(max(width, 1)))
            pango_layout_set_wrap(pointer, PANGO_WRAP_WORD_CHAR)
            if ellipsize { pango_layout_set_ellipsize(pointer, PANGO_ELLIPSIZE_END) }
        }
        switch alignment {
        case .left: break
        case .center: pango_layout_set_alignment(pointer, PANGO_ALIGN_CENTER)
        case .right: pango_layout_set_alignment(pointer, PANGO_ALIGN_RIGHT)
        }
        text.bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress?.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                pango_layout_set_text(pointer, $0, Int32(buffer.count))
            }
        }
        let attributes = pango_attr_list_new()!
        Self.insert(pango_attr_insert_hyphens_new(0), into: attributes, start: 0, end: text.bytes.count)
        Self.insert(pango_attr_line_height_new(lineHeight), into: attributes, start: 0, end: text.bytes.count)
        for run in text.runs { Self.addStyle(run, to: attributes) }
        addEmojiShapes(text, size: size, to: attributes)
        pango_layout_set_attributes(pointer, attributes)
        pango_attr_list_unref(attributes)
        return layout
    }

    /// Plain single-style text (markers, labels, footers). Unwrapped ones repeat a lot ("•", "1 / 9")
    /// and are immutable once laid out, so they are shaped once and shared.
    func plain(_ string: String, role: TextRole, size: Double, style: InlineStyle = [], width: Double? = nil,
               alignment: TableAlignment = .left, ellipsize: Bool = false) -> TextBox {
        let key = PlainKey(text: string, role: role, size: size, style: style.rawValue)
        if width == nil, let cached = plainBoxes[key] { return cached }
        var text = StyledText()
        text.append(string, style: style)
        let made = box(text, role: role, size: size, width: width, alignment: alignment, lineHeight: 1.0, ellipsize: ellipsize)
        if width == nil {
            if plainBoxes.count >= Self.maxPlainBoxes { plainBoxes.removeAll() }
            plainBoxes[key] = made
        }
        return made
    }

    private struct PlainKey: Hashable {
        var text: String
        var role: TextRole
        var size: Double
        var style: UInt8
    }

    private static let maxPlainBoxes = 1024
    private var plainBoxes: [PlainKey: TextBox] = [:]

    private func addEmojiShapes(_ text: StyledText, size: Double, to list: OpaquePointer) {
        var runIndex = 0
        for (range, cluster) in EmojiAtlas.clusters(in: text.bytes) {
            while runIndex < text.runs.count, text.runs[runIndex].end <= range.lowerBound { runIndex += 1 }
            let inCode = runIndex < text.runs.count && text.runs[runIndex].start <= range.lowerBound
                && text.runs[runIndex].style.contains(.code)
            Self.insert(emoji.shapeAttribute(for: cluster, size: inCode ? size * 0.9 : size), into: list,
                        start: range.lowerBound, end: range.upperBound)
        }
    }

    private static func addStyle(_ run: StyledRun, to list: OpaquePointer) {
        let style = run.style
        if style.contains(.bold) { insert(pango_attr_weight_new(PANGO_WEIGHT_BOLD), into: list, start: run.start, end: run.end) }
        if style.contains(.italic) { insert(pango_attr_style_new(PANGO_STYLE_ITALIC), into: list, start: run.start, end: run.end) }
        if style.contains(.strike) { insert(pango_attr_strikethrough_new(1), into: list, start: run.start, end: run.end) }
        if style.contains(.code) {
            insert(pango_attr_family_new(monoFamily), into: list, start: run.start, end: run.end)
            insert(pango_attr_scale_new(0.9), into: list, start: run.start, end: run.end)
            insert(pango_attr_background_new(0xEEEE, 0xEEEE, 0xEEEE), into: list, start: run.start, end: run.end)
        }
        if style.contains(.link) {
            insert(pango_attr_foreground_new(0x1A1A, 0x5555, 0xB0B0), into: list, start: run.start, end: run.end)
        }
    }

    private static func insert(_ attribute: UnsafeMutablePointer<PangoAttribute>?, into list: OpaquePointer,
                               start: Int, end: Int) {
        guard let attribute else { return }
        attribute.pointee.start_index = UInt32(start)
        attribute.pointee.end_index = UInt32(end)
        pango_attr_list_insert(list, attribute)
    }
}
