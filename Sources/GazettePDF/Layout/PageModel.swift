/// A4 with 2 cm margins, in PDF points.
struct PageGeometry {
    static let a4 = PageGeometry(width: 595.2756, height: 841.8898, margin: 56.6929)

    let width: Double
    let height: Double
    let margin: Double

    var contentLeft: Double { margin }
    var contentTop: Double { margin }
    var contentWidth: Double { width - 2 * margin }
    var contentBottom: Double { height - margin }
    var contentHeight: Double { height - 2 * margin }
}

struct RGB: Equatable {
    var red: Double
    var green: Double
    var blue: Double

    static let text = RGB(red: 0.1, green: 0.1, blue: 0.1)
    static let muted = RGB(red: 0.42, green: 0.42, blue: 0.45)
    static let rule = RGB(red: 0.75, green: 0.75, blue: 0.78)
    static let quoteBar = RGB(red: 0.78, green: 0.80, blue: 0.85)
    static let codeBackground = RGB(red: 0.955, green: 0.955, blue: 0.96)
    static let tableHeader = RGB(red: 0.93, green: 0.94, blue: 0.96)
    static let postsBar = RGB(red: 0.23, green: 0.46, blue: 0.80)
    static let viewsBar = RGB(red: 0.95, green: 0.60, blue: 0.20)
}

struct Rect {
    var x: Double
    var y: Double
    var width: Double
    var height: Double
}

/// One drawing instruction on a page; produced by pagination, executed by `PDFWriter`.
enum DrawOp {
    /// One line of a text box with its top-left at (x, top).
    case line(TextBox, index: Int, x: Double, top: Double)
    /// A whole (small) text box with its top-left at (x, y).
    case box(TextBox, x: Double, y: Double)
    case fill(Rect, RGB)
    case hline(x: Double, y: Double, width: Double, thickness: Double, RGB)
    /// A picture scaled into `Rect`; its pixels are chosen (reduced or not) for a box `pixelsForWidth` points wide, its
    /// size before it was drawn smaller to stay on its page, so a shrunk picture embeds the same bytes.
    case image(ImageBlock, Rect, pixelsForWidth: Double)
}

/// A bookmark: H1 at level 1, H2 at level 2 (nested under the previous H1).
struct OutlineEntry: Equatable {
    var title: String
    var level: Int
    var page: Int
    var y: Double
}

/// The laid-out document: draw operations per page and the outline.
struct PagedDocument {
    var pages: [[DrawOp]]
    var outline: [OutlineEntry]
}
