import CPangoCairo

/// Colour emoji, drawn sharp and kept in the text layer.
///
/// cairo 1.16 turns Noto Color Emoji glyphs into one small (~15 px, "72 ppi") bitmap per occurrence,
/// which is blurry when zoomed, costly (a compressed image per emoji) and invisible to text extraction.
/// Instead each emoji cluster is replaced in the Pango layout by a shape of the right size; when the
/// line is drawn, the shape callback paints a cached high-resolution image of the emoji (rendered once
/// per process from Noto Color Emoji, shared by every occurrence so the PDF embeds it once) and an
/// invisible glyph (EM SPACE) that carries the emoji's text (ToUnicode/ActualText), so `pdftotext`,
/// search and copy-paste still see it.
final class EmojiAtlas {
    /// Pixels per emoji side: 48 px for text (about 290 dpi at 12 pt), 64 px above 14 pt (about 230 dpi for a 20 pt heading).
    static func pixels(forSize size: Double) -> Int32 { size <= 14 ? 48 : 64 }
    static let maxCached = 512
    static let advance = 1.15  // em
    static let ascent = 0.95   // em, logical rectangle above the baseline
    static let lineHeight = 1.2 // em, logical rectangle height

    private struct Entry {
        let text: String
        let scalars: Int
        let pixels: Int32
        let image: OpaquePointer
    }

    private struct Key: Hashable {
        let text: String
        let pixels: Int32
    }

    private let context: OpaquePointer  // owned by TextEngine, which outlives the atlas
    private var ids: [Key: Int] = [:]
    private var entries: [Entry] = []
    private let ghostFace: OpaquePointer
    private var ghostGlyph: UInt = 0
    private let emojiFont: OpaquePointer
    /// Noto Color Emoji loaded through Pango but used through cairo directly: single-codepoint emoji
    /// are looked up in the cmap, so HarfBuzz never has to load (and sanitize) the font's large
    /// ligature tables; only ZWJ sequences, flags and skin tones go through Pango shaping.
    private var emojiPangoFont: UnsafeMutablePointer<PangoFont>?
    private var last: (attribute: UnsafeMutableRawPointer, x: Double, y: Double, width: Double)?

    init(context: OpaquePointer) {
        self.context = context
        ghostFace = cairo_toy_font_face_create(TextEngine.sansFamily, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL)
        emojiFont = pango_font_description_from_string("Noto Color Emoji")
        pango_font_description_set_size(emojiFont, pangoUnits(38))
        // EM SPACE: no ink, and an advance of exactly one em, so at font size = emoji width the
        // invisible glyph covers the emoji (selection and text order follow the picture).
        ghostGlyph = Self.glyphIndex(of: "\u{2003}", face: ghostFace) ?? Self.glyphIndex(of: " ", face: ghostFace) ?? 0
    }

    deinit {
        if let emojiPangoFont { g_object_unref(UnsafeMutableRawPointer(emojiPangoFont)) }
        for entry in entries { cairo_surface_destroy(entry.image) }
        cairo_font_face_destroy(ghostFace)
        pango_font_description_free(emojiFont)
    }

    /// Called before each document: bounds the cache (ids are only valid within one document after this).
    func beginDocument() {
        last = nil
        guard entries.count > Self.maxCached else { return }
        for entry in entries { cairo_surface_destroy(entry.image) }
        entries.removeAll()
        ids.removeAll()
    }

    /// The shape attribute that stands in for `cluster` at `size` points.
    func shapeAttribute(for cluster: String, size: Double) -> UnsafeMutablePointer<PangoAttribute>? {
        let id = identifier(for: cluster, pixels: Self.pixels(forSize: size))
        let scalars = entries[id].scalars
        // Pango gives every character of the range this rectangle, so divide the width among them.
        var rect = PangoRectangle(x: 0, y: -pangoUnits(size * Self.ascent),
                                  width: pangoUnits(size * Self.advance) / Int32(scalars),
                                  height: pangoUnits(size * Self.lineHeight))
        return pango_attr_shape_new_with_data(&rect, &rect, UnsafeMutableRawPointer(bitPattern: id + 1), nil, nil)
    }

    private func identifier(for cluster: String, pixels: Int32) -> Int {
        let key = Key(text: cluster, pixels: pixels)
        if let id = ids[key] { return id }
        let id = entries.count
        entries.append(Entry(text: cluster, scalars: max(cluster.unicodeScalars.count, 1), pixels: pixels,
                             image: renderImage(cluster, pixels: pixels)))
        ids[key] = id
        return id
    }

    /// Draws the emoji at the current point (its baseline origin). Pango calls this once per
    /// character of the cluster; only the first call draws.
    func draw(_ cr: OpaquePointer, _ shape: UnsafeMutablePointer<PangoAttrShape>) {
        let id = Int(bitPattern: shape.pointee.data) - 1
        guard entries.indices.contains(id) else { return }
        let entry = entries[id]
        var x = 0.0, y = 0.0
        cairo_get_current_point(cr, &x, &y)
        let width = points(shape.pointee.logical_rect.width) * Double(entry.scalars)
        let attribute = UnsafeMutableRawPointer(shape)
        if let last, last.attribute == attribute, last.y == y, x > last.x, x < last.x + last.width - 0.01 { return }
        last = (attribute, x, y, width)
        let em = width / Self.advance
        let side = em * 1.0
        cairo_save(cr)
        cairo_translate(cr, x + (width - side) / 2, y - 0.82 * em)
        cairo_scale(cr, side / Double(entry.pixels), side / Double(entry.pixels))
        cairo_set_source_surface(cr, entry.image, 0, 0)
        cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD)
        cairo_paint(cr)
        cairo_restore(cr)

        // The invisible glyph that carries the emoji into the text layer.
        cairo_save(cr)
        cairo_set_font_face(cr, ghostFace)
        cairo_set_font_size(cr, width)
        var glyph = cairo_glyph_t(index: ghostGlyph, x: x, y: y)
        let utf8 = Array(entry.text.utf8)
        var cluster = cairo_text_cluster_t(num_bytes: Int32(utf8.count), num_glyphs: 1)
        utf8.withUnsafeBufferPointer { bytes in
            bytes.baseAddress?.withMemoryRebound(to: CChar.self, capacity: bytes.count) { text in
                cairo_show_text_glyphs(cr, text, Int32(bytes.count), &glyph, 1, &cluster, 1, cairo_text_cluster_flags_t(0))
            }
        }
        cairo_restore(cr)
    }

    private func renderImage(_ cluster: String, pixels side: Int32) -> OpaquePointer {
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, side, side)!
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        if drawSingleGlyph(cluster, pixels: side, on: cr) {
            cairo_surface_flush(surface)
            return surface
        }
        let layout = pango_layout_new(context)!
        defer { g_object_unref(UnsafeMutableRawPointer(layout)) }
        pango_layout_set_font_description(layout, emojiFont)
        pango_layout_set_text(layout, cluster, -1)
        var ink = PangoRectangle(), logical = PangoRectangle()
        pango_layout_get_extents(layout, &ink, &logical)
        let inkWidth = points(ink.width), inkHeight = points(ink.height)
        let scale = inkWidth > 0 && inkHeight > 0 ? 0.94 * Double(side) / max(inkWidth, inkHeight) : 1
        cairo_translate(cr, Double(side) / 2, Double(side) / 2)
        cairo_scale(cr, scale, scale)
        cairo_translate(cr, -(points(ink.x) + inkWidth / 2), -(points(ink.y) + inkHeight / 2))
        pango_cairo_show_layout(cr, layout)
        cairo_surface_flush(surface)
        return surface
    }

    /// Draws `cluster` centred on the image if it is one code point (plus an optional VS16).
    private func drawSingleGlyph(_ cluster: String, pixels: Int32, on cr: OpaquePointer) -> Bool {
        let scalars = cluster.unicodeScalars.filter { $0 != "\u{FE0F}" }
        guard scalars.count == 1 else { return false }
        if emojiPangoFont == nil, let map = pango_context_get_font_map(context) {
            emojiPangoFont = pango_font_map_load_font(map, context, emojiFont)
        }
        guard let font = emojiPangoFont, let scaled = pango_cairo_font_get_scaled_font(OpaquePointer(font)) else { return false }
        var glyphs: UnsafeMutablePointer<cairo_glyph_t>?
        var count: Int32 = 0
        let status = cairo_scaled_font_text_to_glyphs(scaled, 0, 0, String(String.UnicodeScalarView(scalars)), -1,
                                                      &glyphs, &count, nil, nil, nil)
        defer { cairo_glyph_free(glyphs) }
        guard status == CAIRO_STATUS_SUCCESS, count == 1, let glyphs, glyphs[0].index != 0 else { return false }
        var glyph = glyphs[0]
        var extents = cairo_text_extents_t()
        cairo_scaled_font_glyph_extents(scaled, &glyph, 1, &extents)
        guard extents.width > 0, extents.height > 0 else { return false }
        let side = Double(pixels)
        let scale = 0.94 * side / max(extents.width, extents.height)
        cairo_translate(cr, side / 2, side / 2)
        cairo_scale(cr, scale, scale)
        cairo_set_scaled_font(cr, scaled)
        glyph.x = -(extents.x_bearing + extents.width / 2)
        glyph.y = -(extents.y_bearing + extents.height / 2)
        cairo_show_glyphs(cr, &glyph, 1)
        return true
    }

    private static func glyphIndex(of text: String, face: OpaquePointer) -> UInt? {
        let matrix = UnsafeMutablePointer<cairo_matrix_t>.allocate(capacity: 1)
        defer { matrix.deallocate() }
        cairo_matrix_init_scale(matrix, 12, 12)
        let identity = UnsafeMutablePointer<cairo_matrix_t>.allocate(capacity: 1)
        defer { identity.deallocate() }
        cairo_matrix_init_identity(identity)
        let options = cairo_font_options_create()
        defer { cairo_font_options_destroy(options) }
        guard let font = cairo_scaled_font_create(face, matrix, identity, options) else { return nil }
        defer { cairo_scaled_font_destroy(font) }
        var glyphs: UnsafeMutablePointer<cairo_glyph_t>?
        var count: Int32 = 0
        let status = cairo_scaled_font_text_to_glyphs(font, 0, 0, text, -1, &glyphs, &count, nil, nil, nil)
        defer { cairo_glyph_free(glyphs) }
        guard status == CAIRO_STATUS_SUCCESS, count == 1, let glyphs, glyphs[0].index != 0 else { return nil }
        return glyphs[0].index
    }

    // MARK: Finding emoji

    /// UTF-8 byte ranges of emoji grapheme clusters in `bytes`. Only scalars from U+2000 up (lead
    /// byte ≥ 0xE2) can start an emoji, so the grapheme machinery runs only around those.
    static func clusters(in bytes: [UInt8]) -> [(range: Range<Int>, text: String)] {
        var result: [(Range<Int>, String)] = []
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            guard lead >= 0xE2 else {
                index += lead < 0x80 ? 1 : (lead < 0xE0 ? 2 : 3)
                continue
            }
            let window = bytes[index..<min(index + 64, count)]
            guard let character = String(decoding: window, as: UTF8.self).first else { break }
            let length = max(character.utf8.count, 1)
            if isEmoji(character) { result.append((index..<index + length, String(character))) }
            index += length
        }
        return result
    }

    static func isEmoji(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        guard let first = scalars.first, first.properties.isEmoji else { return false }
        return first.properties.isEmojiPresentation || first.value >= 0x1F000 || scalars.contains("\u{FE0F}")
    }
}
