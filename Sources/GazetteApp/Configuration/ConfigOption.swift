import Foundation
import GazetteCore

/// Which commands read an option: each command names the sections it accepts (`gazette config` accepts them all), and
/// a flag of another section is refused as an unknown flag would be.
public enum OptionSection: String, Sendable, CaseIterable {
    case database, log
    /// Where the HTTP server listens.
    case server
    /// Who may call it (also `gazette tokens`).
    case apiTokens
    /// The `/metrics` port of a worker or a bot.
    case metrics
    case fetch
    /// Loopback and private addresses allowed (also `gazette channels import`).
    case privateAddresses
    case bot
    /// The summarizer, the digests and their pictures.
    case digest
    case account, delivery
}

/// One option, declared once in `OptionTable`: everything loading, `gazette config`, `--help`, the flags and the
/// option list of docs/DEPLOYMENT.md know about it. `Value` is what the module that uses it takes, and `path` is where
/// in that module's settings (inside `Configuration`) it goes.
public struct ConfigOption: Sendable {
    /// `image-timeout`: the flag is `--image-timeout`, `gazette config` prints `image-timeout: 10s`.
    public let key: String
    /// Environment variables, the `GAZETTE_*` name first, then the earlier system's aliases.
    public let environment: [String]
    public let section: OptionSection
    /// One line for `--help` and the docs; the docs add `details` when there are some.
    public let help: String
    public let details: String?
    /// `<duration>` in `--help`; nil for a switch, a flag given without a value (`--llm-translate`).
    public let valueName: String?
    public let secret: Bool
    /// The default as the docs and `--help` show it.
    public let defaultText: String
    /// Writes the default into a configuration.
    let applyDefault: @Sendable (inout Configuration) -> Void
    /// Parses a value and writes it; `source` is the flag or the variable it came from.
    let applyValue: @Sendable (_ raw: String, _ source: String, inout Configuration) throws(ConfigError) -> Void
    /// The value as `gazette config` prints it (never a secret's).
    let describeValue: @Sendable (Configuration) -> String
    /// A secret option's value, for the log redactor; nil for other options and when unset.
    let secretValue: @Sendable (Configuration) -> String?

    public var flag: String { "--\(key)" }
    public var isSwitch: Bool { valueName == nil }

    /// - Parameters:
    ///   - path: where the value lives in the module's settings.
    ///   - parse: the value's parser and how a value is written back.
    ///   - default: the value when neither a flag nor a variable gives one; `defaultText` replaces its formatted form
    ///     when the default is worked out from other options (`DATA_DIR/account`).
    ///   - switch: given without a value (`--allow-private-sources`); the flag can only turn it on.
    public init<Value: Sendable>(_ key: String, env environment: [String], section: OptionSection,
                                 _ path: WritableKeyPath<Configuration, Value> & Sendable, _ parser: OptionParser<Value>,
                                 default value: Value, defaultText: String? = nil, secret: Bool = false, switch isSwitch: Bool = false,
                                 valueName: String? = nil, help: String, details: String? = nil) {
        self.key = key
        self.environment = environment
        self.section = section
        self.help = help
        self.details = details
        self.valueName = isSwitch ? nil : (valueName ?? parser.valueName)
        self.secret = secret
        self.defaultText = defaultText ?? parser.format(value).map { "`\($0)`" } ?? "—"
        applyDefault = { $0[keyPath: path] = value }
        applyValue = { (raw: String, source: String, configuration: inout Configuration) throws(ConfigError) in
            let text = raw.trimmingCharacters(in: .whitespaces)
            do throws(OptionValueError) {
                configuration[keyPath: path] = try parser.parse(text, source)
            } catch {
                let shown = secret || error.hideValue ? nil : (error.shownValue ?? text)
                throw ConfigError(flag: "--\(key)", source: source, value: shown, reason: error.reason)
            }
        }
        describeValue = { configuration in
            let current = configuration[keyPath: path]
            guard let text = parser.format(current) else { return "(unset)" }
            return secret ? Secret.mask : (parser.redact?(text) ?? text)
        }
        secretValue = { configuration in
            guard secret else { return nil }
            return (configuration[keyPath: path] as Any as? Secret)?.value
        }
    }
}

/// A value that is wrong, in the words of its parser; `apply` adds the option's name and where the value came from.
public struct OptionValueError: Error, Sendable {
    public var reason: String
    /// Never echo the value (a URL that may carry a password).
    public var hideValue = false
    /// Echo this instead of the value (the value with its password masked).
    public var shownValue: String?

    public init(_ reason: String, hideValue: Bool = false, shownValue: String? = nil) {
        self.reason = reason
        self.hideValue = hideValue
        self.shownValue = shownValue
    }
}

/// A configuration value that is wrong. The message names the option and where it came from; secret values are never
/// shown.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let flag: String
    public let source: String
    public let value: String?
    public let reason: String

    public init(flag: String, source: String, value: String?, reason: String) {
        self.flag = flag
        self.source = source
        self.value = value
        self.reason = reason
    }

    public var description: String {
        let shown = value.map { " '\($0.count > 80 ? String($0.prefix(77)) + "…" : $0)'" } ?? ""
        let alias = source == flag ? flag : "\(source) (\(flag))"
        return "invalid \(alias)\(shown): \(reason)"
    }
}
