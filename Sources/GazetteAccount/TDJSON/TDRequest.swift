/// A TDLib request: its method and its fields. Written to JSON by hand: the few value kinds TDLib's requests use.
/// Built only by the functions of `TDMethods.swift`.
public struct TDRequest: Sendable, Equatable {
    public indirect enum Value: Sendable, Equatable {
        case string(String)
        case int(Int64)
        case bool(Bool)
        case double(Double)
        case object(type: String, [String: Value])
        case array([Value])
    }

    public let method: TDMethod
    public let fields: [String: Value]

    init(_ method: TDMethod, _ fields: [String: Value] = [:]) {
        self.method = method
        self.fields = fields
    }

    /// The `@type`: the method's name.
    public var type: String { method.rawValue }

    /// The JSON text with `@extra` added, fields in a stable order.
    public func json(extra: String?) -> String {
        var out = ""
        Self.writeObject(type: type, fields: fields, extra: extra, to: &out)
        return out
    }

    private static func writeObject(type: String, fields: [String: Value], extra: String?, to out: inout String) {
        out += "{\"@type\":"
        write(string: type, to: &out)
        for key in fields.keys.sorted() {
            out += ","
            write(string: key, to: &out)
            out += ":"
            write(fields[key]!, to: &out)
        }
        if let extra {
            out += ",\"@extra\":"
            write(string: extra, to: &out)
        }
        out += "}"
    }

    private static func write(_ value: Value, to out: inout String) {
        switch value {
        case .string(let s): write(string: s, to: &out)
        case .int(let n): out += String(n)
        case .bool(let b): out += b ? "true" : "false"
        case .double(let d): out += d.isFinite ? "\(d)" : "0"
        case .object(let type, let fields): writeObject(type: type, fields: fields, extra: nil, to: &out)
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
