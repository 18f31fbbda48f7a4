/// Pieces of the Prometheus text format 0.0.4: names, escaping, the prerendered prefixes and number formatting.
enum Exposition {
    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
    static func isValidName(_ name: String) -> Bool {
        isIdentifier(name, colon: true)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, not starting with `__` (reserved) and not `le` (the histograms' own label).
    static func isValidLabelName(_ name: String) -> Bool {
        isIdentifier(name, colon: false) && !name.hasPrefix("__") && name != "le"
    }

    private static func isIdentifier(_ text: String, colon: Bool) -> Bool {
        var first = true
        for byte in text.utf8 {
            defer { first = false }
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"): continue
            case UInt8(ascii: ":") where colon: continue
            case UInt8(ascii: "0")...UInt8(ascii: "9") where !first: continue
            default: return false
            }
        }
        return !first
    }

    /// `# HELP name help` (backslash and line feed escaped) and `# TYPE name type`.
    static func header(name: String, type: String, help: String) -> [UInt8] {
        var bytes = Array("# HELP \(name) ".utf8)
        for byte in help.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
            default: bytes.append(byte)
            }
        }
        bytes.append(contentsOf: "\n# TYPE \(name) \(type)\n".utf8)
        return bytes
    }

    /// `k1="v1",k2="v2"` with the values escaped (backslash, double quote, line feed).
    static func labelPairs(_ labels: [(String, String)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, (name, value)) in labels.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: name.utf8)
            bytes.append(contentsOf: #"=""#.utf8)
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
                case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
                case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
                default: bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
        return bytes
    }

    /// Everything of a sample line before its value: `name{labels} ` or `name `.
    static func seriesPrefix(_ name: String, _ labels: [(String, String)]) -> [UInt8] {
        var bytes = Array(name.utf8)
        if !labels.isEmpty {
            bytes.append(UInt8(ascii: "{"))
            bytes += labelPairs(labels)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(UInt8(ascii: " "))
        return bytes
    }

    /// A bucket's `le` value, as Swift prints the bound (`0.005`, `1.0`, `2500000.0`). Dashboards and alerts match
    /// bucket series by `le`, so this form is part of the metrics contract (docs/METRICS.md).
    static func bucketBound(_ bound: Double) -> String {
        bound.description
    }

    /// Digits written back to front in a stack buffer, then appended in one copy.
    static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var magnitude = value.magnitude
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { buffer.append(UInt8(ascii: "-")) }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// A sample value: `+Inf`, `-Inf`, `NaN`, whole numbers below 10^15 as `123.0` without a detour through a
    /// `String`, anything else as Swift prints it (shortest form that reads back the same `Double`).
    static func appendDouble(_ value: Double, to buffer: inout [UInt8]) {
        if value.isNaN {
            buffer.append(contentsOf: "NaN".utf8)
        } else if value.isInfinite {
            buffer.append(contentsOf: (value < 0 ? "-Inf" : "+Inf").utf8)
        } else if value == value.rounded(.towardZero) && value.magnitude < 1e15 {
            appendInteger(Int64(value), to: &buffer)
            buffer.append(UInt8(ascii: "."))
            buffer.append(UInt8(ascii: "0"))
        } else {
            buffer.append(contentsOf: value.description.utf8)
        }
    }
}
