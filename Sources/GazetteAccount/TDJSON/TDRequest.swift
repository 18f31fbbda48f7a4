/// A TDLib request: its `@type` and its fields. Written to JSON by hand: the few value kinds TDLib's requests use.
public struct TDRequest: Sendable, Equatable {
    public indirect enum Value: Sendable, Equatable {
        case string(String)
        case int(Int64)
        case bool(Bool)
        case double(Double)
        case object(type: String, [String: Value])
        case array([Value])
    }

    public let type: String
    public var fields: [String: Value]

    public init(_ type: String, _ fields: [String: Value] = [:]) {
        self.type = type
        self.fields = fields
    }

    /// The JSON text with `@extra` added, fields in a stable order.
    public func json(extra: String?) -> String {
        var out = "{\"@type\":"
        Self.write(string: type, to: &out)
        for key in fields.keys.sorted() {
            out += ","
            Self.write(string: key, to: &out)
            out += ":"
            Self.write(fields[key]!, to: &out)
        }
        if let extra {
            out += ",\"@extra\":"
            Self.write(string: extra, to: &out)
        }
        out += "}"
        return out
    }

    private static func write(_ value: Value, to out: inout String) {
        switch value {
        case .string(let s): write(string: s, to: &out)
        case .int(let n): out += String(n)
        case .bool(let b): out += b ? "true" : "false"
        case .double(let d): out += d.isFinite ? "\(d)" : "0"
        case .object(let type, let fields): out += TDRequest(type, fields).json(extra: nil)
        case .array(let values):
            out += "["
            for (i, v) in values.enumerated() {
                if i > 0 { out += "," }
                write(v, to: &out)
            }
            out += "]"
        }
    }

    static func write(string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

extension TDRequest.Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
