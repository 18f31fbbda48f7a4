/// Column widths and shaped cells of a GFM table. Returns nil when the table cannot be drawn as a
/// readable grid (too many columns, or a row taller than a page); the caller then prints it as text.
struct TableLayout {
    static let maxColumns = 16

    struct Cell {
        var box: TextBox
        /// Horizontal offset inside the column for right/center alignment of unwrapped text.
        var offset: Double
    }

    struct Row {
        var cells: [Cell]
        var height: Double
    }

    let rows: [Row]
    let columnX: [Double]
    let width: Double
    let padX: Double
    let padY: Double
    let headerRowCount: Int

    init?(model: TableModel, engine: TextEngine, width available: Double, fontSize: Double, maxRowHeight: Double) {
        let columns = model.columnCount
        guard columns >= 1, columns <= Self.maxColumns, !model.rows.isEmpty else { return nil }
        let size = fontSize * 0.9
        padX = 0.45 * fontSize
        padY = 0.3 * fontSize
        headerRowCount = model.headerRowCount

        // Shape every cell once at its natural width.
        let empty = StyledText()
        var natural: [[TextBox]] = []
        var need = [Double](repeating: 2 * padX, count: columns)
        for row in model.rows {
            var boxes: [TextBox] = []
            for column in 0..<columns {
                let box = engine.box(column < row.count ? row[column] : empty, role: .body, size: size, width: nil, lineHeight: 1.15)
                need[column] = max(need[column], box.width + 2 * padX)
                boxes.append(box)
            }
            natural.append(boxes)
        }
        let widths = Self.distribute(need: need, available: available)
        var x = 0.0
        var columnX: [Double] = []
        for width in widths { columnX.append(x); x += width }
        self.columnX = columnX
        self.width = x

        var rows: [Row] = []
        for (rowIndex, boxes) in natural.enumerated() {
            var cells: [Cell] = []
            var height = 0.0
            for column in 0..<columns {
                let inner = widths[column] - 2 * padX
                let alignment = column < model.alignments.count ? model.alignments[column] : .left
                var box = boxes[column]
                var offset = 0.0
                if box.width > inner + 0.01 {
                    // Too wide: wrap inside the column (the only case that shapes a cell twice).
                    let source = column < model.rows[rowIndex].count ? model.rows[rowIndex][column] : empty
                    box = engine.box(source, role: .body, size: size, width: inner, alignment: alignment, lineHeight: 1.15)
                } else {
                    switch alignment {
                    case .left: offset = 0
                    case .right: offset = inner - box.width
                    case .center: offset = (inner - box.width) / 2
                    }
                }
                height = max(height, box.height)
                cells.append(Cell(box: box, offset: offset))
            }
            height += 2 * padY
            guard height <= maxRowHeight else { return nil }
            rows.append(Row(cells: cells, height: height))
        }
        self.rows = rows
    }

    /// Natural widths when they fit; otherwise narrow columns keep their width and the rest share
    /// what is left equally.
    static func distribute(need: [Double], available: Double) -> [Double] {
        if need.reduce(0, +) <= available { return need }
        var widths = need
        var open = Set(need.indices)
        var remaining = available
        while !open.isEmpty {
            let share = remaining / Double(open.count)
            let fitting = open.filter { need[$0] <= share }
            if fitting.isEmpty {
                for index in open { widths[index] = share }
                break
            }
            for index in fitting {
                widths[index] = need[index]
                remaining -= need[index]
                open.remove(index)
            }
        }
        return widths
    }
}
