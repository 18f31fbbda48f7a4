/// Data of a ```gazette-chart block: posts and views per channel.
///
/// ```gazette-chart
/// title: Posts and views per channel
/// channel | posts | views
/// Durov's Channel | 12 | 37200
/// ```
/// Anything that does not match this shape is rendered as a code block instead (never an error).
struct ChartData: Equatable {
    struct Row: Equatable {
        var label: String
        var posts: Int
        var views: Int
    }

    static let fenceInfo = "gazette-chart"
    static let maxRows = 40

    var title: String?
    var rows: [Row]
    /// The legend's words: the header's second and third cells (`posts`, `views`, or `посты`, `просмотры`).
    var postsLabel = "posts"
    var viewsLabel = "views"

    /// Header rows the parser accepts, English or Russian (the digest's own words follow the reader's language).
    static let headers: [[String]] = [["channel", "posts", "views"], ["канал", "посты", "просмотры"]]

    static func parse(_ source: String) -> ChartData? {
        var title: String?
        var sawHeader = false
        var rows: [Row] = []
        var legend = ("posts", "views")
        for rawLine in source.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = String(rawLine).trimmingSpaces()
            if line.isEmpty { continue }
            if !sawHeader, title == nil, line.lowercased().hasPrefix("title:") {
                title = String(line.dropFirst("title:".count)).trimmingSpaces()
                continue
            }
            let cells = cells(of: line)
            guard cells.count == 3 else { return nil }
            if !sawHeader {
                guard headers.contains(cells.map({ $0.lowercased() })) else { return nil }
                legend = (cells[1].lowercased(), cells[2].lowercased())
                sawHeader = true
                continue
            }
            if cells.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } }) { continue }  // optional |---|---| line
            guard !cells[0].isEmpty, let posts = Int(cells[1]), let views = Int(cells[2]),
                  posts >= 0, views >= 0, posts <= 1_000_000_000, views <= 1_000_000_000_000 else { return nil }
            rows.append(Row(label: cells[0], posts: posts, views: views))
        }
        guard sawHeader, !rows.isEmpty, rows.count <= maxRows else { return nil }
        return ChartData(title: title, rows: rows, postsLabel: legend.0, viewsLabel: legend.1)
    }

    private static func cells(of line: String) -> [String] {
        var trimmed = Substring(line)
        if trimmed.hasPrefix("|") { trimmed.removeFirst() }
        if trimmed.hasSuffix("|") { trimmed.removeLast() }
        return trimmed.split(separator: "|", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
    }

    /// "37200" → "37.2K", for bar labels.
    static func compact(_ value: Int) -> String {
        switch value {
        case ..<1_000: return "\(value)"
        case ..<1_000_000: return oneDecimal(Double(value) / 1_000) + "K"
        default: return oneDecimal(Double(value) / 1_000_000) + "M"
        }
    }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }
}
