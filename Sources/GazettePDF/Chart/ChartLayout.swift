import GazetteMarkdown

/// A small horizontal bar chart (posts and views per channel) drawn with vector rectangles; the
/// labels are real text, so they stay selectable and searchable.
struct ChartLayout {
    let height: Double
    private let relativeOps: [DrawOp]

    init(chart: ChartBlock, engine: TextEngine, width: Double, fontSize: Double) {
        let small = fontSize * 0.72
        var ops: [DrawOp] = []
        var y = 0.0

        if let title = chart.title, !title.isEmpty {
            let box = engine.plain(title, role: .body, size: fontSize * 0.92, style: .bold, width: width)
            ops.append(.box(box, x: 0, y: y))
            y += box.height + 0.3 * fontSize
        }

        // Legend.
        let swatch = small * 0.8
        var legendX = 0.0
        var legendHeight = 0.0
        for (name, color) in [(chart.legend.posts, RGB.postsBar), (chart.legend.views, RGB.viewsBar)] {
            let label = engine.plain(name, role: .small, size: small)
            ops.append(.fill(Rect(x: legendX, y: y + (label.height - swatch) / 2, width: swatch, height: swatch), color))
            ops.append(.box(label, x: legendX + swatch + 3, y: y))
            legendX += swatch + 3 + label.width + 12
            legendHeight = max(legendHeight, label.height)
        }
        y += legendHeight + 0.35 * fontSize

        let labelWidth = width * 0.3
        let valueSpace = 42.0
        let barMax = max(width - labelWidth - valueSpace, 20)
        let maxPosts = Double(max(chart.rows.map(\.posts).max() ?? 1, 1))
        let maxViews = Double(max(chart.rows.map(\.views).max() ?? 1, 1))
        let barHeight = small * 0.75
        let rowHeight = 2 * barHeight + 1.5
        let chartTop = y

        for row in chart.rows {
            let label = engine.plain(row.label, role: .small, size: small, width: labelWidth - 6, ellipsize: true)
            ops.append(.box(label, x: 0, y: y + (rowHeight - label.height) / 2))
            let bars: [(Int, Double, RGB)] = [(row.posts, maxPosts, .postsBar), (row.views, maxViews, .viewsBar)]
            for (barIndex, (value, maximum, color)) in bars.enumerated() {
                let barY = y + Double(barIndex) * (barHeight + 1.5)
                let length = value > 0 ? max(barMax * Double(value) / maximum, 0.8) : 0
                if length > 0 { ops.append(.fill(Rect(x: labelWidth, y: barY, width: length, height: barHeight), color)) }
                let valueLabel = engine.plain(Self.compact(value), role: .small, size: small * 0.85)
                ops.append(.box(valueLabel, x: labelWidth + length + 3, y: barY + (barHeight - valueLabel.height) / 2))
            }
            y += rowHeight + 0.45 * fontSize
        }
        // Axis.
        ops.append(.fill(Rect(x: labelWidth - 0.6, y: chartTop - 2, width: 0.6, height: y - chartTop), .muted))
        height = y
        relativeOps = ops
    }

    func ops(x: Double, y: Double) -> [DrawOp] {
        relativeOps.map { op in
            switch op {
            case .line(let box, let index, let ox, let oy): .line(box, index: index, x: ox + x, top: oy + y)
            case .box(let box, let ox, let oy): .box(box, x: ox + x, y: oy + y)
            case .fill(let rect, let color): .fill(Rect(x: rect.x + x, y: rect.y + y, width: rect.width, height: rect.height), color)
            case .hline(let ox, let oy, let width, let thickness, let color):
                .hline(x: ox + x, y: oy + y, width: width, thickness: thickness, color)
            case .image(let block, let rect, let pixelsFor):
                .image(block, Rect(x: rect.x + x, y: rect.y + y, width: rect.width, height: rect.height), pixelsForWidth: pixelsFor)
            }
        }
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
