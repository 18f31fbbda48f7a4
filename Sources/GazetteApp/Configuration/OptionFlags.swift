import Foundation

/// The options given on a command line, taken out of it before the command's own arguments are parsed: the flags of
/// every option come from `OptionTable`, so no command declares them one by one.
public struct OptionFlags: Sendable, Equatable {
    /// Values by option key (`"true"` for a switch).
    public var values: [String: String] = [:]
    /// The arguments left for the command (its own options, positional arguments, `--help`).
    public var remaining: [String] = []

    /// Splits `arguments` (without the program name): `--key value`, `--key=value` and a switch's bare `--key` of every
    /// option in the table are taken; everything else is left in order. Nothing after `--` is taken. A value-taking
    /// flag at the end, without its value, is an error naming it.
    public static func extract(_ arguments: [String]) throws(ConfigError) -> OptionFlags {
        var flags = OptionFlags()
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                flags.remaining += arguments[(index - 1)...]
                break
            }
            guard argument.hasPrefix("--") else {
                flags.remaining.append(argument)
                continue
            }
            let name = String(argument.dropFirst(2).prefix { $0 != "=" })
            guard let option = OptionTable.all.first(where: { $0.key == name }) else {
                flags.remaining.append(argument)
                continue
            }
            if let equals = argument.firstIndex(of: "=") {
                flags.values[option.key] = String(argument[argument.index(after: equals)...])
            } else if option.isSwitch {
                flags.values[option.key] = "true"
            } else {
                guard index < arguments.endIndex else {
                    throw ConfigError(flag: option.flag, source: option.flag, value: nil, reason: "needs a value (\(option.valueName ?? "value"))")
                }
                flags.values[option.key] = arguments[index]
                index += 1
            }
        }
        return flags
    }

    /// Refuses a flag of an option the command does not read (as an unknown flag would be).
    public func check(accepted sections: [OptionSection], command: String) throws(ConfigError) {
        for key in values.keys.sorted() {
            let option = OptionTable.option(key)
            guard sections.contains(option.section) else {
                throw ConfigError(flag: option.flag, source: option.flag, value: nil, reason: "not an option of \(command)")
            }
        }
    }
}

extension OptionTable {
    /// The options of `sections` for a command's `--help`: flag and value, then the help, default and variables,
    /// wrapped to 80 columns (ArgumentParser would wrap longer lines without their indent).
    public static func help(for sections: [OptionSection]) -> String {
        let options = all.filter { sections.contains($0.section) }
        guard !options.isEmpty else { return "" }
        let plain = { (text: String) in text.replacingOccurrences(of: "`", with: "") }
        var lines = ["CONFIGURATION OPTIONS (a flag wins over its variables, those over the default):"]
        for option in options {
            lines.append("  " + (option.valueName.map { "\(option.flag) <\($0)>" } ?? option.flag))
            lines += wrapped(plain(option.help), indent: 8)
            lines += wrapped("Default: \(plain(option.defaultText)).", indent: 8)
            lines += wrapped("Env: \(option.environment.joined(separator: ", ")).", indent: 8)
        }
        return lines.joined(separator: "\n")
    }

    private static func wrapped(_ text: String, indent: Int, width: Int = 80) -> [String] {
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = pad
        for word in text.split(separator: " ") {
            if line.count > indent, line.count + 1 + word.count > width {
                lines.append(line)
                line = pad
            }
            line += (line.count > indent ? " " : "") + word
        }
        lines.append(line)
        return lines
    }

    /// The option list of docs/DEPLOYMENT.md, "Configuration reference": one row per option, generated from the table
    /// (`gazette config --markdown`; a test compares the docs with it).
    public static func markdown() -> String {
        var lines = ["| variable (aliases) | flag | default | meaning |", "| --- | --- | --- | --- |"]
        for option in all {
            let aliases = option.environment.dropFirst().map { "`\($0)`" }.joined(separator: ", ")
            let variable = "`\(option.environment[0])`" + (aliases.isEmpty ? "" : " (\(aliases))")
            var meaning = option.help
            if let details = option.details { meaning += " " + details }
            if option.secret { meaning = "**Secret.** " + meaning }
            let cells = [variable, "`\(option.flag)`", option.defaultText, meaning].map { $0.replacingOccurrences(of: "|", with: "\\|") }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }
}
