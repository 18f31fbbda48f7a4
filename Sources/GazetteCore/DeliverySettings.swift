import Foundation

/// Where a user's daily digest goes (issue 18): any of them, chosen per user.
public enum DigestDestination: String, Sendable, Codable, CaseIterable, Comparable {
    /// The bot's chat with the user (needs the user to have started the bot).
    case telegram
    /// The user's email address, with the PDF attached.
    case email
    /// The user's Atom feed and web reader: the digest is kept in the digest archive.
    case feed

    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// `telegram,email` (in this enum's order) as stored and shown.
    public static func text(_ set: Set<Self>) -> String {
        set.sorted().map(\.rawValue).joined(separator: ",")
    }

    /// Parses `telegram,email,feed` (any order, spaces allowed); `none` or empty is no destination.
    public static func parse(_ text: String) throws(SettingsError) -> Set<Self> {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        if parts == ["none"] { return [] }
        var out = Set<Self>()
        for part in parts {
            guard let d = Self(rawValue: part) else {
                throw SettingsError(field: "deliver", reason: "unknown destination '\(part.prefix(32))'; choose from telegram, email, feed (comma-separated) or none")
            }
            out.insert(d)
        }
        return out
    }

    /// Reads what a store holds; unknown words (from a newer version) are ignored.
    public static func stored(_ text: String) -> Set<Self> {
        Set(text.split(separator: ",").compactMap { Self(rawValue: $0.trimmingCharacters(in: .whitespaces)) })
    }
}

/// A settings value that is wrong, naming the setting.
public struct SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let reason: String
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
    public var description: String { "invalid \(field): \(reason)" }
}

/// Email addresses as Gazette accepts them: `local@domain`, ASCII, what mail servers take without SMTPUTF8.
public enum EmailAddress {
    public static let maxLength = 254

    /// The address trimmed (the domain lower-cased), or an error saying what is wrong with it.
    public static func validate(_ raw: String) throws(SettingsError) -> String {
        func fail(_ reason: String) -> SettingsError { SettingsError(field: "email", reason: reason) }
        let address = raw.trimmingCharacters(in: .whitespaces)
        guard !address.isEmpty else { throw fail("the address is empty") }
        guard address.utf8.count <= maxLength else { throw fail("an address is at most \(maxLength) characters") }
        // Never a line break or control character: the address goes into mail headers and the SMTP envelope.
        guard address.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x21 && $0.value < 0x7F }) else {
            throw fail("an address has only printable ASCII characters, no spaces or line breaks")
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw fail("an address has exactly one @, like reader@example.com") }
        let local = parts[0], domain = parts[1]
        let localAllowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~.")
        guard (1...64).contains(local.count), local.allSatisfy(localAllowed.contains),
              !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            throw fail("the part before @ is 1–64 letters, digits, dots (not first, last or doubled) and !#$%&'*+-/=?^_`{|}~")
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ label in
            (1...63).contains(label.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }) else {
            throw fail("the domain after @ is a name such as example.com (letters, digits and hyphens, dot-separated)")
        }
        return "\(local)@\(domain.lowercased())"
    }
}

/// A change to a user's delivery settings, from the CLI, MCP or the bot; nil fields stay as they are.
public struct SettingsChange: Sendable, Equatable {
    public var destinations: Set<DigestDestination>?
    /// `.some(nil)` removes the address.
    public var email: String??
    public var dailyDigest: Bool?
    public var dailyHour: Int?
    public var timeZone: String?

    public init(destinations: Set<DigestDestination>? = nil, email: String?? = nil, dailyDigest: Bool? = nil,
                dailyHour: Int? = nil, timeZone: String? = nil) {
        self.destinations = destinations
        self.email = email
        self.dailyDigest = dailyDigest
        self.dailyHour = dailyHour
        self.timeZone = timeZone
    }

    public var isEmpty: Bool { self == SettingsChange() }

    /// `settings` with the change, validated: an hour 0–23, a known time zone, a valid address, and the email
    /// destination only with an address.
    public func applied(to settings: UserSettings) throws(SettingsError) -> UserSettings {
        var s = settings
        if let destinations { s.destinations = destinations }
        if let email {
            if let raw = email { s.email = try EmailAddress.validate(raw) } else { s.email = nil }
        }
        if let dailyDigest { s.dailyDigest = dailyDigest }
        if let dailyHour {
            guard (0...23).contains(dailyHour) else { throw SettingsError(field: "daily_hour", reason: "an hour is 0–23, got \(dailyHour)") }
            s.dailyHour = dailyHour
        }
        if let timeZone {
            guard timeZone.count <= 64, TimeZone(identifier: timeZone) != nil else {
                throw SettingsError(field: "time_zone", reason: "unknown time zone '\(timeZone.prefix(64))'; use an IANA name such as Europe/Berlin or UTC")
            }
            s.timeZone = timeZone
        }
        if s.destinations.contains(.email), s.email == nil {
            throw SettingsError(field: "deliver", reason: "the email destination needs an address: set one with --email (MCP: email)")
        }
        return s
    }
}
