import Foundation

/// A command typed by a user: `/name[@bot] argument`.
public struct BotCommandText: Sendable, Equatable {
    public enum Name: String, Sendable, CaseIterable {
        case start, help, menu, subscribe, unsubscribe, channels, digest, search, settings, timezone, email, cancel
    }
    public var name: Name?
    /// The command as typed, lowercased and without `@bot`, for the "unknown command" answer.
    public var raw: String
    public var argument: String

    /// Nil when the text is not a command. `botUsername` (without `@`) rejects commands addressed to other bots.
    public static func parse(_ text: String, botUsername: String?) -> BotCommandText? {
        guard text.hasPrefix("/") else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let head = trimmed.prefix { !$0.isWhitespace }
        let argument = trimmed.dropFirst(head.count).trimmingCharacters(in: .whitespacesAndNewlines)
        var command = head.dropFirst()
        if let at = command.firstIndex(of: "@") {
            let target = command[command.index(after: at)...]
            if let botUsername, target.lowercased() != botUsername.lowercased() { return nil }
            command = command[..<at]
        }
        let raw = command.lowercased()
        return BotCommandText(name: Name(rawValue: raw), raw: raw, argument: argument)
    }
}
