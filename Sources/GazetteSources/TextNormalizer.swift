import Foundation

/// Whitespace rules for page text: source line breaks are formatting, only `<br>` (and block ends) break lines.
enum TextNormalizer {
    /// Collapses every run of whitespace (including no-break spaces) to one space and trims the ends.
    static func collapse(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for ch in s {
            if ch.isWhitespace {
                pendingSpace = true
            } else {
                if pendingSpace, !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(ch)
            }
        }
        return out
    }

    /// Collapses runs of whitespace to one space but keeps a single leading/trailing space (inline HTML pieces).
    static func collapseKeepingEdges(_ s: String) -> String {
        guard let first = s.first, let last = s.last else { return s }
        let core = collapse(s)
        if core.isEmpty { return " " }
        return (first.isWhitespace ? " " : "") + core + (last.isWhitespace ? " " : "")
    }

    /// Collapses whitespace inside each line, trims each line, and keeps at most two consecutive line breaks.
    static func tidyLines(_ s: String) -> String {
        let lines = s.split(separator: "\n", omittingEmptySubsequences: false).map { collapse(String($0)) }
        var out: [String] = []
        var blanks = 0
        for line in lines {
            if line.isEmpty {
                blanks += 1
                if blanks <= 1, !out.isEmpty { out.append("") }
            } else {
                blanks = 0
                out.append(line)
            }
        }
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n")
    }

    /// Compact counters as Telegram prints them: `746`, `37.2K`, `1.1M`, `1 234` → 746, 37200, 1100000, 1234.
    static func compactCount(_ raw: String) -> Int? {
        let s = raw.filter { !$0.isWhitespace && $0 != "," }
        guard let last = s.last else { return nil }
        let multiplier: Double
        var number = Substring(s)
        switch last {
        case "K", "k": multiplier = 1_000; number = number.dropLast()
        case "M", "m": multiplier = 1_000_000; number = number.dropLast()
        case "B", "b": multiplier = 1_000_000_000; number = number.dropLast()
        default: multiplier = 1
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(number), value.isFinite, value >= 0, value * multiplier < 1e15 else { return nil }
        return Int((value * multiplier).rounded())
    }
}
