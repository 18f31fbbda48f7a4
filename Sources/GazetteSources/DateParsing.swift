import Foundation

/// Date formats found on preview pages (ISO 8601) and in feeds (RFC 822 / RFC 3339).
enum DateParsing {
    static func iso8601(_ raw: String) -> Date? {
        let s = raw.trimmingCharacters(in: .whitespaces)
        // A string that does not match one form is tried with the next; nil means "not a date" to the caller.
        for style in [Date.ISO8601FormatStyle(), Date.ISO8601FormatStyle(includingFractionalSeconds: true)] {
            do { return try style.parse(s) } catch { continue }
        }
        return nil
    }

    /// RFC 822 dates as feeds write them (`Fri, 17 May 2024 08:00:00 +0000`, `… GMT`, no weekday, 2-digit years).
    static func rfc822(_ raw: String) -> Date? {
        let s = TextNormalizer.collapse(raw)
        guard !s.isEmpty else { return nil }
        for format in rfc822Formats {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = format
            if let d = f.date(from: s) { return d }
        }
        return iso8601(s)
    }

    private static let rfc822Formats = [
        "EEE, d MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm:ss Z", "d MMM yyyy HH:mm:ss zzz",
        "EEE, d MMM yyyy HH:mm Z", "EEE, d MMM yyyy HH:mm zzz", "EEE, d MMM yy HH:mm:ss Z", "EEE, d MMM yy HH:mm:ss zzz",
    ]
}
