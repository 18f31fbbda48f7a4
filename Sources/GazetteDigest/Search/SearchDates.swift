import Foundation

/// The ends of a search's date range as people write them: a span back from now (`24h`, `7d`, `2w`), a day
/// (`2026-03-01`, UTC), or an ISO 8601 time (`2026-03-01T12:00:00Z`). A day given as `until` includes that day.
public enum SearchDates {
    public static let accepted = "24h, 7d, 2w, a day (2026-03-01) or an ISO 8601 time"

    public static func since(_ text: String, now: Date) throws(SearchError) -> Date {
        try parse(text, argument: "since", now: now, dayEnd: false)
    }

    public static func until(_ text: String, now: Date) throws(SearchError) -> Date {
        try parse(text, argument: "until", now: now, dayEnd: true)
    }

    static func parse(_ raw: String, argument: String, now: Date, dayEnd: Bool) throws(SearchError) -> Date {
        let text = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if let unit = text.last, let seconds = ["h": 3_600.0, "d": 86_400.0, "w": 604_800.0][unit] {
            guard let count = Int(text.dropLast()), (1...36_500).contains(count) else {
                throw .invalidArgument(argument: argument, reason: "expected \(accepted); got '\(raw.prefix(40))'")
            }
            return now.addingTimeInterval(-Double(count) * seconds)
        }
        if text.count == 10, let day = try? Date(text + "T00:00:00Z", strategy: .iso8601) {
            return dayEnd ? day.addingTimeInterval(86_400) : day
        }
        if let time = try? Date(raw.trimmingCharacters(in: .whitespaces), strategy: .iso8601) { return time }
        throw .invalidArgument(argument: argument, reason: "expected \(accepted); got '\(raw.prefix(40))'")
    }
}
