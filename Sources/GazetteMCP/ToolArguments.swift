import Foundation
import GazetteCore
import MCP

/// The arguments of one call, read with types, defaults and limits. Every failure names the argument.
///
/// Unknown argument names are refused (a typo such as `hour` would otherwise silently use the default).
public struct ToolArguments: Sendable {
    public let values: [String: Value]

    public init(_ values: [String: Value]?, allowed: Set<String>) throws(ToolError) {
        let values = values ?? [:]
        if let unknown = values.keys.sorted().first(where: { !allowed.contains($0) }) {
            let known = allowed.sorted().joined(separator: ", ")
            throw .invalidArguments(argument: ToolError.shorten(unknown, limit: 40),
                                    reason: "unknown argument; this tool takes \(known.isEmpty ? "no arguments" : known)")
        }
        self.values = values
    }

    /// Absent and JSON `null` both mean "not given".
    func present(_ name: String) -> Value? {
        guard let value = values[name], !value.isNull else { return nil }
        return value
    }

    // MARK: Integers

    public func int(_ name: String, default defaultValue: Int? = nil, in range: ClosedRange<Int>) throws(ToolError) -> Int {
        guard let value = present(name) else {
            if let defaultValue { return defaultValue }
            throw .invalidArguments(argument: name, reason: "required (an integer in \(range.lowerBound)…\(range.upperBound))")
        }
        let n = try Self.integer(value, name: name)
        guard n >= Int64(range.lowerBound), n <= Int64(range.upperBound) else {
            throw .invalidArguments(argument: name, reason: "must be in \(range.lowerBound)…\(range.upperBound), got \(n)")
        }
        return Int(n)
    }

    /// A Telegram user id (or any positive 64-bit id).
    public func id(_ name: String) throws(ToolError) -> Int64 {
        guard let value = present(name) else { throw .invalidArguments(argument: name, reason: "required (a positive integer id)") }
        return try Self.positiveID(value, name: name)
    }

    public func optionalID(_ name: String) throws(ToolError) -> Int64? {
        guard let value = present(name) else { return nil }
        return try Self.positiveID(value, name: name)
    }

    static func positiveID(_ value: Value, name: String) throws(ToolError) -> Int64 {
        let n = try integer(value, name: name)
        guard n > 0 else { throw .invalidArguments(argument: name, reason: "must be a positive integer, got \(n)") }
        return n
    }

    /// JSON numbers arrive as `.int`, or as `.double` when written `24.0`; both are accepted when whole.
    static func integer(_ value: Value, name: String) throws(ToolError) -> Int64 {
        switch value {
        case .int(let i): return Int64(i)
        case .double(let d):
            guard d.isFinite, d.rounded() == d, abs(d) < 9.0e15 else {
                throw .invalidArguments(argument: name, reason: "must be a whole number, got \(d)")
            }
            return Int64(d)
        default:
            throw .invalidArguments(argument: name, reason: "must be an integer, got \(Self.typeName(value))")
        }
    }

    // MARK: Strings

    public func string(_ name: String, maxLength: Int, allowEmpty: Bool = false) throws(ToolError) -> String {
        guard let value = present(name) else { throw .invalidArguments(argument: name, reason: "required (a string)") }
        return try Self.string(value, name: name, maxLength: maxLength, allowEmpty: allowEmpty)
    }

    public func optionalString(_ name: String, maxLength: Int) throws(ToolError) -> String? {
        guard let value = present(name) else { return nil }
        return try Self.string(value, name: name, maxLength: maxLength, allowEmpty: true)
    }

    static func string(_ value: Value, name: String, maxLength: Int, allowEmpty: Bool = true) throws(ToolError) -> String {
        guard case .string(let s) = value else {
            throw .invalidArguments(argument: name, reason: "must be a string, got \(typeName(value))")
        }
        guard s.utf8.count <= maxLength else {
            throw .invalidArguments(argument: name, reason: "is too long (\(s.utf8.count) bytes, at most \(maxLength))")
        }
        if !allowEmpty, s.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .invalidArguments(argument: name, reason: "must not be empty")
        }
        return s
    }

    public func channel(_ name: String = "channel_username") throws(ToolError) -> ChannelRef {
        let raw = try string(name, maxLength: ChannelRef.maxInputLength)
        do throws(ChannelRefError) {
            return try ChannelRef.parse(raw)
        } catch {
            throw .invalidArguments(argument: name, reason: error.description)
        }
    }

    public func stringList(_ name: String, maxCount: Int, maxLength: Int) throws(ToolError) -> [String]? {
        guard let value = present(name) else { return nil }
        guard case .array(let items) = value else {
            throw .invalidArguments(argument: name, reason: "must be an array of strings, got \(Self.typeName(value))")
        }
        guard items.count <= maxCount else {
            throw .invalidArguments(argument: name, reason: "has \(items.count) items, at most \(maxCount)")
        }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            out.append(try Self.string(item, name: "\(name)[\(i)]", maxLength: maxLength))
        }
        return out
    }

    // MARK: Structured

    public func array(_ name: String, maxCount: Int) throws(ToolError) -> [Value] {
        guard let value = present(name) else { throw .invalidArguments(argument: name, reason: "required (an array)") }
        guard case .array(let items) = value else {
            throw .invalidArguments(argument: name, reason: "must be an array, got \(Self.typeName(value))")
        }
        guard items.count <= maxCount else {
            throw .invalidArguments(argument: name, reason: "has \(items.count) items, at most \(maxCount)")
        }
        return items
    }

    public func optionalObject(_ name: String) throws(ToolError) -> [String: Value]? {
        guard let value = present(name) else { return nil }
        guard case .object(let object) = value else {
            throw .invalidArguments(argument: name, reason: "must be an object, got \(Self.typeName(value))")
        }
        return object
    }

    static func typeName(_ value: Value) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string, .data: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
