import Foundation
import GazetteCore
import Logging

// The parsers of values only some options take; the common ones (numbers, durations, URLs, switches) are
// `OptionParser`'s own.

extension OptionParser where Value == String {
    /// `sqlite:PATH` or `postgres://…`; a wrong value is echoed with its password masked.
    static var databaseURL: Self {
        Self(valueName: "url", redact: { Secret.redactingPassword(inURL: $0) }, parse: { (text: String, _: String) throws(OptionValueError) -> String in
            guard text.hasPrefix("sqlite:") || text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") else {
                throw OptionValueError("expected sqlite:PATH or postgres://user:pass@host:port/db",
                                       shownValue: Secret.redactingPassword(inURL: text))
            }
            if text.hasPrefix("sqlite:"), text.dropFirst("sqlite:".count).isEmpty { throw OptionValueError("sqlite: needs a file path") }
            return text
        }, format: { $0 })
    }

    static var host: Self {
        Self(valueName: "address", parse: { (text: String, _: String) throws(OptionValueError) -> String in
            guard !text.isEmpty, !text.contains(where: { $0.isWhitespace || $0 == "/" }) else {
                throw OptionValueError("expected an address such as 127.0.0.1")
            }
            return text
        }, format: { $0 })
    }

    /// An email address (the sender of digest emails).
    static var emailAddress: Self {
        Self(valueName: "address", parse: { (text: String, _: String) throws(OptionValueError) -> String in
            do throws(SettingsError) {
                return try EmailAddress.validate(text)
            } catch {
                throw OptionValueError(error.reason)
            }
        }, format: { $0 })
    }
}

extension OptionParser where Value == TimeInterval {
    /// A duration; the earlier system's `POST_FETCH_INTERVAL_HOURS` is a number of hours.
    static var interval: Self {
        let duration = OptionParser.duration()
        return Self(valueName: "duration", parse: { (text: String, source: String) throws(OptionValueError) -> TimeInterval in
            guard source == "POST_FETCH_INTERVAL_HOURS" else { return try duration.parse(text, source) }
            guard let hours = Double(text), hours > 0, hours.isFinite else { throw OptionValueError("expected a number of hours") }
            return hours * 3600
        }, format: duration.format)
    }
}

extension OptionParser where Value == Secret {
    /// `123456:ABC-DEF…`, as @BotFather gives it.
    static var botToken: Self {
        let secret = OptionParser.secret(valueName: "token")
        return Self(valueName: "token", parse: { (text: String, source: String) throws(OptionValueError) -> Secret in
            let token = try secret.parse(text, source)
            guard token.value.range(of: #"^[0-9]+:[A-Za-z0-9_-]+$"#, options: .regularExpression) != nil else {
                throw OptionValueError("a bot token looks like 123456:ABC-DEF… (from @BotFather)")
            }
            return token
        }, format: secret.format)
    }

    /// 32 hex digits.
    static var apiHash: Self {
        let secret = OptionParser.secret(valueName: "hash")
        return Self(valueName: "hash", parse: { (text: String, source: String) throws(OptionValueError) -> Secret in
            let hash = try secret.parse(text, source)
            guard hash.value.count == 32, hash.value.allSatisfy(\.isHexDigit) else {
                throw OptionValueError("expected the 32 hex digits my.telegram.org shows as api_hash")
            }
            return hash
        }, format: secret.format)
    }
}

extension OptionParser where Value == Set<Int64>? {
    /// Comma-separated Telegram user ids; an empty list is everyone (nil).
    static var userIDs: Self {
        Self(valueName: "ids", parse: { (text: String, _: String) throws(OptionValueError) -> Set<Int64>? in
            var ids = Set<Int64>()
            for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
                guard let id = Int64(part), id > 0 else { throw OptionValueError("expected comma-separated Telegram user ids") }
                ids.insert(id)
            }
            return ids.isEmpty ? nil : ids
        }, format: { $0.map { $0.sorted().map(String.init).joined(separator: ",") } })
    }
}

extension OptionParser where Value == Logger.Level {
    static var logLevel: Self {
        let names = Logger.Level.allCases.map(\.rawValue)
        return Self(valueName: "level", parse: { (text: String, _: String) throws(OptionValueError) -> Logger.Level in
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw OptionValueError("expected one of \(names.joined(separator: ", "))")
            }
            return level
        }, format: { $0.rawValue })
    }
}

extension OptionParser where Value == URL {
    /// `smtp://host:port` or `smtps://host:port`, without a user or password (they have options of their own). Never
    /// echoed: a URL with a password in it must not reach a log.
    static var smtpURL: Self {
        Self(valueName: "url", parse: { (text: String, _: String) throws(OptionValueError) -> URL in
            guard let u = URL(string: text), let scheme = u.scheme?.lowercased(), ["smtp", "smtps"].contains(scheme),
                  let host = u.host, !host.isEmpty, u.user == nil, u.password == nil else {
                throw OptionValueError("expected smtp://host:port or smtps://host:port (the user and password go in "
                                       + "GAZETTE_SMTP_USER and GAZETTE_SMTP_PASSWORD)", hideValue: true)
            }
            return u
        }, format: { $0.absoluteString })
    }
}
