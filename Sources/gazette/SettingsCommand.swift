import ArgumentParser
import GazetteApp
import Foundation
import GazetteCore

/// `gazette settings`: where and when a user's daily digest goes (issue 18).
struct SettingsCommand: AsyncParsableCommand, ReadsOptions {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Show or change where and when a user's daily digest goes.",
        discussion: optionHelp("""
        Without a change the settings are shown. Destinations: telegram (the bot's chat; the user must have started the \
        bot), email (the address set with --email, the PDF attached) and feed (the user's Atom feed and web reader), any \
        of them, or none. The bot's /settings changes the same values.
          gazette settings --user 1 --deliver telegram,email --email reader@example.com --daily on --daily-hour 7
        """, Self.options)
    )
    static let options: [OptionSection] = [.database, .log]
    @Option(name: .long, help: "Telegram user id.") var user: Int64
    @Option(name: .long, help: ArgumentHelp("Where the daily digest goes: telegram, email, feed (comma-separated) or none.",
                                            valueName: "destinations"))
    var deliver: String?
    @Option(name: .long, help: ArgumentHelp("The email address of the email destination; none removes it.", valueName: "address"))
    var email: String?
    @Option(name: .long, help: ArgumentHelp("The daily digest on or off.", valueName: "on|off")) var daily: String?
    @Option(name: .long, help: ArgumentHelp("The local hour of the daily digest, 0–23.", valueName: "hour")) var dailyHour: Int?
    @Option(name: .long, help: ArgumentHelp("The user's IANA time zone, e.g. Europe/Berlin.", valueName: "zone")) var timeZone: String?
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        guard user > 0 else { throw ValidationError("--user must be a positive Telegram user id") }
    }

    func run() async throws {
        let change: SettingsChange
        do {
            change = try Self.change(deliver: deliver, email: email, daily: daily, dailyHour: dailyHour, timeZone: timeZone)
        } catch {
            printError("error: \(error)")
            throw ExitCode(64)
        }
        let settings = try await withStore(db, label: "gazette.settings") { store -> UserSettings in
            let current = try await store.userSettings(userID: user) ?? UserSettings(userID: user)
            guard !change.isEmpty else { return current }
            let updated: UserSettings
            do {
                updated = try change.applied(to: current)
            } catch {
                printError("error: \(error)")
                throw ExitCode(64)
            }
            try await store.saveUserSettings(updated)
            return updated
        }
        print(Self.describe(settings))
    }

    static func change(deliver: String?, email: String?, daily: String?, dailyHour: Int?, timeZone: String?) throws(SettingsError) -> SettingsChange {
        var change = SettingsChange(dailyHour: dailyHour, timeZone: timeZone)
        if let deliver { change.destinations = try DigestDestination.parse(deliver) }
        if let email { change.email = .some(email.lowercased() == "none" ? nil : email) }
        if let daily {
            switch daily.lowercased() {
            case "on", "true", "yes", "1": change.dailyDigest = true
            case "off", "false", "no", "0": change.dailyDigest = false
            default: throw SettingsError(field: "daily", reason: "expected on or off, got '\(daily.prefix(16))'")
            }
        }
        return change
    }

    static func describe(_ s: UserSettings) -> String {
        var lines = [
            "user: \(s.userID)",
            "daily digest: \(s.dailyDigest ? "on" : "off"), at \(String(format: "%02d:00", s.dailyHour)) \(s.timeZone)",
            "deliver to: \(s.destinations.isEmpty ? "none" : DigestDestination.text(s.destinations))",
            "email: \(s.email ?? "(none)")",
            "telegram chat: \(s.chatID.map(String.init) ?? "(none: the user has not started the bot)")",
            "format: \(s.format.rawValue)",
        ]
        if s.destinations.contains(.telegram), s.chatID == nil {
            lines.append("note: Telegram delivery waits until the user starts the bot")
        }
        return lines.joined(separator: "\n")
    }
}
