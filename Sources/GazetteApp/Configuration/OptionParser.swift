import Foundation
import GazetteCore

/// How an option's text becomes its value, and how the value is written back (`gazette config`, the docs' defaults).
/// A parser says what is wrong in its own words; the option adds its name and where the value came from.
public struct OptionParser<Value: Sendable>: Sendable {
    /// `source` is the flag or the variable the text came from (an alias may mean another unit).
    public let parse: @Sendable (_ text: String, _ source: String) throws(OptionValueError) -> Value
    /// Nil: no value (unset).
    public let format: @Sendable (Value) -> String?
    /// `<duration>` in `--help`.
    public let valueName: String
    /// What `gazette config` prints instead of the formatted value (a URL's password masked).
    public let redact: (@Sendable (String) -> String)?

    public init(valueName: String, redact: (@Sendable (String) -> String)? = nil,
                parse: @escaping @Sendable (_ text: String, _ source: String) throws(OptionValueError) -> Value,
                format: @escaping @Sendable (Value) -> String?) {
        self.valueName = valueName
        self.redact = redact
        self.parse = parse
        self.format = format
    }

    /// The same parser for an optional value: unset (nil) unless given.
    public var optional: OptionParser<Value?> {
        let parse = self.parse
        let format = self.format
        return OptionParser<Value?>(valueName: valueName, redact: redact,
                                    parse: { (text: String, source: String) throws(OptionValueError) -> Value? in try parse(text, source) },
                                    format: { $0.flatMap(format) })
    }

    /// The value, then a check of it.
    public func checked(_ check: @escaping @Sendable (Value) -> String?) -> OptionParser<Value> {
        let parse = self.parse
        return OptionParser(valueName: valueName, redact: redact, parse: { (text: String, source: String) throws(OptionValueError) -> Value in
            let value = try parse(text, source)
            if let reason = check(value) { throw OptionValueError(reason) }
            return value
        }, format: format)
    }
}

extension OptionParser where Value == Int {
    public static func int(_ range: ClosedRange<Int>, valueName: String = "n") -> Self {
        Self(valueName: valueName, parse: { (text: String, _: String) throws(OptionValueError) -> Int in
            guard let n = Int(text), range.contains(n) else {
                throw OptionValueError("expected a whole number in \(range.lowerBound)…\(range.upperBound)")
            }
            return n
        }, format: { String($0) })
    }
}

extension OptionParser where Value == Int64 {
    public static func int64(_ range: ClosedRange<Int64>, valueName: String = "n", reason: String? = nil) -> Self {
        Self(valueName: valueName, parse: { (text: String, _: String) throws(OptionValueError) -> Int64 in
            guard let n = Int64(text), range.contains(n) else {
                throw OptionValueError(reason ?? "expected a whole number in \(range.lowerBound)…\(range.upperBound)")
            }
            return n
        }, format: { String($0) })
    }
}

extension OptionParser where Value == TimeInterval {
    /// `30s`, `15m`, `1h`, `1d` or seconds; within `range` (seconds), positive unless the range starts at 0.
    public static func duration(_ range: ClosedRange<TimeInterval> = 0.001...TimeInterval.greatestFiniteMagnitude,
                                example: String = "30s, 15m, 1h or 1d") -> Self {
        Self(valueName: "duration", parse: { (text: String, _: String) throws(OptionValueError) -> TimeInterval in
            guard let d = DurationParser.parse(text), range.contains(d) else {
                if range.upperBound < TimeInterval.greatestFiniteMagnitude {
                    throw OptionValueError("expected a duration from \(DurationParser.format(range.lowerBound)) to "
                                           + "\(DurationParser.format(range.upperBound)) such as \(example)")
                }
                throw OptionValueError("expected a duration such as \(example)")
            }
            return d
        }, format: { DurationParser.format($0) })
    }

    /// A whole number of days, kept as seconds.
    public static func days(_ range: ClosedRange<Int>) -> Self {
        let days = OptionParser<Int>.int(range, valueName: "days")
        return Self(valueName: "days", parse: { (text: String, source: String) throws(OptionValueError) -> TimeInterval in
            TimeInterval(try days.parse(text, source)) * 86_400
        }, format: { String(Int($0 / 86_400)) })
    }
}

extension OptionParser where Value == URL {
    /// An absolute http(s) URL.
    public static var httpURL: Self {
        Self(valueName: "url", parse: { (text: String, _: String) throws(OptionValueError) -> URL in
            guard let u = URL(string: text), let scheme = u.scheme?.lowercased(), ["http", "https"].contains(scheme), u.host != nil else {
                throw OptionValueError("expected an http(s) URL")
            }
            return u
        }, format: { $0.absoluteString })
    }
}

extension OptionParser where Value == String {
    /// Any text that is not empty (one line).
    public static func text(valueName: String) -> Self {
        Self(valueName: valueName, parse: { (text: String, _: String) throws(OptionValueError) -> String in
            guard !text.isEmpty, !text.contains(where: \.isNewline) else { throw OptionValueError("must be one non-empty line") }
            return text
        }, format: { $0 })
    }
}

extension OptionParser where Value == Secret {
    public static func secret(valueName: String = "secret") -> Self {
        Self(valueName: valueName, parse: { (text: String, _: String) throws(OptionValueError) -> Secret in
            guard !text.isEmpty else { throw OptionValueError("must not be empty") }
            return Secret(text)
        }, format: { _ in Secret.mask })
    }
}

extension OptionParser where Value == Bool {
    /// `1/0`, `true/false`, `yes/no`, `on/off`; written back as `on`/`off` or `true`/`false` (`words`).
    public static func bool(_ words: (on: String, off: String) = ("true", "false")) -> Self {
        Self(valueName: "\(words.on)|\(words.off)", parse: { (text: String, _: String) throws(OptionValueError) -> Bool in
            switch text.lowercased() {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw OptionValueError(words.on == "on" ? "expected on or off" : "expected 1/0, true/false or yes/no")
            }
        }, format: { $0 ? words.on : words.off })
    }
}

extension OptionParser where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// One of an enumeration's raw values (case-insensitive).
    public static var oneOf: Self {
        let names = Value.allCases.map(\.rawValue)
        return Self(valueName: names.joined(separator: "|"), parse: { (text: String, _: String) throws(OptionValueError) -> Value in
            guard let value = Value(rawValue: text.lowercased()) else {
                throw OptionValueError("expected \(names.dropLast().joined(separator: ", ")) or \(names.last ?? "")")
            }
            return value
        }, format: { $0.rawValue })
    }
}
