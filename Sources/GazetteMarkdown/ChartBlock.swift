import CCmarkGFM

/// The digest's overview chart: posts and views per channel, written into the markdown as a fenced block that the
/// PDF draws as bars and the web page shows as a table. This is the block's one format: the digest writes it with
/// `markdown`, and the PDF and the web read it with `init?(node:)`, so both accept exactly the same blocks.
///
/// ```gazette-chart
/// title: Posts and views per channel
/// channel | posts | views
/// Durov's Channel | 12 | 37200
/// ```
///
/// The title line is optional and comes first; the header is one of `Legend.all` (any case); a `|---|---|---|` line
/// after it is allowed; every other line is a row of a non-empty label and two whole numbers, at most `maxRows`
/// rows. Cells may be wrapped in outer pipes. Anything else is not a chart, and the block stays a code block.
public struct ChartBlock: Equatable, Sendable {
    public static let fenceInfo = "gazette-chart"
    public static let maxRows = 40
    static let maxPosts = 1_000_000_000
    static let maxViews = 1_000_000_000_000

    /// The header row's words; its second and third are the chart's legend.
    public struct Legend: Equatable, Sendable {
        public var channel: String
        public var posts: String
        public var views: String

        public static let english = Legend(channel: "channel", posts: "posts", views: "views")
        public static let russian = Legend(channel: "канал", posts: "посты", views: "просмотры")
        /// The headers a chart may have (the digest's own words follow the reader's language).
        public static let all = [english, russian]

        var cells: [String] { [channel, posts, views] }
    }

    public struct Row: Equatable, Sendable {
        public var label: String
        public var posts: Int
        public var views: Int
        public init(label: String, posts: Int, views: Int) {
            self.label = label
            self.posts = posts
            self.views = views
        }
    }

    public var title: String?
    public var legend: Legend
    public var rows: [Row]

    public init(title: String?, legend: Legend = .english, rows: [Row]) {
        self.title = title
        self.legend = legend
        self.rows = rows
    }

    // MARK: Writing

    /// The fenced block, fence lines included. Labels and the title are made safe for the format (no column
    /// separator, no line break, no fence); only the first `maxRows` rows are written, so what is written is read
    /// back as a chart.
    public var markdown: String {
        var lines = ["```" + Self.fenceInfo]
        if let title { lines.append("title: " + Self.cell(title)) }
        lines.append(legend.cells.joined(separator: " | "))
        for row in rows.prefix(Self.maxRows) {
            let label = Self.cell(row.label)
            lines.append("\(label.isEmpty ? "—" : label) | \(min(max(row.posts, 0), Self.maxPosts)) | \(min(max(row.views, 0), Self.maxViews))")
        }
        lines.append("```")
        return lines.joined(separator: "\n")
    }

    /// One cell of the block: `|` becomes `¦`, a line break a space, and a fence three quotes.
    static func cell(_ text: String) -> String {
        String(text.map { $0 == "|" ? "¦" : ($0.isNewline ? " " : $0) })
            .replacing("```", with: "'''")
            .trimmedSpaces
    }

    // MARK: Reading

    /// The chart a cmark node holds: a fenced code block whose info string is `gazette-chart` and whose text is a
    /// well-formed chart. Nil for every other node, a malformed chart included (it is shown as code).
    public init?(node: OpaquePointer) {
        guard cmark_node_get_type(node) == CMARK_NODE_CODE_BLOCK,
              let info = cmark_node_get_fence_info(node),
              String(cString: info).trimmedSpaces == Self.fenceInfo,
              let literal = cmark_node_get_literal(node) else { return nil }
        self.init(body: String(cString: literal))
    }

    /// The chart in a block's text (the lines between the fences); nil when it is not well formed.
    public init?(body: String) {
        var title: String?
        var legend: Legend?
        var rows: [Row] = []
        for rawLine in body.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmedSpaces
            if line.isEmpty { continue }
            if legend == nil, title == nil, line.lowercased().hasPrefix("title:") {
                title = line.dropFirst("title:".count).trimmedSpaces
                continue
            }
            let cells = Self.cells(of: line)
            guard cells.count == 3 else { return nil }
            guard legend != nil else {
                let lowered = cells.map { $0.lowercased() }
                guard let known = Legend.all.first(where: { $0.cells == lowered }) else { return nil }
                legend = known
                continue
            }
            if cells.allSatisfy({ !$0.isEmpty && $0.allSatisfy { "-: ".contains($0) } }) { continue }  // |---|---:|---:|
            guard !cells[0].isEmpty, let posts = Int(cells[1]), let views = Int(cells[2]),
                  (0...Self.maxPosts).contains(posts), (0...Self.maxViews).contains(views) else { return nil }
            rows.append(Row(label: cells[0], posts: posts, views: views))
        }
        guard let legend, !rows.isEmpty, rows.count <= Self.maxRows else { return nil }
        self.init(title: title.flatMap { $0.isEmpty ? nil : $0 }, legend: legend, rows: rows)
    }

    private static func cells(of line: String) -> [String] {
        var trimmed = Substring(line)
        if trimmed.hasPrefix("|") { trimmed.removeFirst() }
        if trimmed.hasSuffix("|") { trimmed.removeLast() }
        return trimmed.split(separator: "|", omittingEmptySubsequences: false).map(\.trimmedSpaces)
    }
}

extension StringProtocol {
    /// Without leading and trailing whitespace, with the standard library alone.
    var trimmedSpaces: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
