import GazetteMarkdown

/// One block of the document in reading order. The markdown tree is flattened into these so that
/// layout never recurses (10,000 nested quotes must not exhaust the stack).
struct FlowBlock {
    enum Kind {
        case paragraph(StyledText)
        case heading(level: Int, StyledText)
        case code(String)
        case rule
        case table(TableModel)
        case chart(ChartBlock)
        case image(ImageBlock)
    }

    var kind: Kind
    /// Number of enclosing block quotes (drawn as bars, indentation capped).
    var quoteDepth: Int
    /// Number of enclosing list items (indentation capped).
    var listDepth: Int
    /// List marker ("•", "3.", "☐") drawn left of the first line.
    var marker: String?
    /// Tight list paragraphs get less space around them.
    var tight: Bool
}

enum TableAlignment {
    case left, center, right
}

struct TableModel {
    var alignments: [TableAlignment]
    var rows: [[StyledText]]
    var headerRowCount: Int

    var columnCount: Int { max(alignments.count, rows.map(\.count).max() ?? 0) }
}

/// A picture placed as a block of its own.
struct ImageBlock {
    var image: ResolvedImage
    /// The destination as written (for the skip record).
    var destination: String
    var alt: String
    /// The link around the image (`[![alt](pic)](https://…)`), when safe to follow.
    var link: String?
}
