import Foundation

/// Dates and numbers as the digest prints them: UTC, English month names, no locale surprises.
enum DigestDates {
    private static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                                 "September", "October", "November", "December"]

    private static func parts(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    /// Day, month and year numbers and "14:05", in UTC.
    static func components(_ date: Date) -> (day: Int, month: Int, year: Int, time: String) {
        let p = parts(date)
        return (p.day ?? 1, p.month ?? 1, p.year ?? 1970, "\(two(p.hour)):\(two(p.minute))")
    }

    /// "29 November 2026"
    static func long(_ date: Date) -> String {
        let p = parts(date)
        return "\(p.day ?? 1) \(months[(p.month ?? 1) - 1]) \(p.year ?? 1970)"
    }

    /// "29 Nov 2026 14:05"
    static func medium(_ date: Date) -> String {
        let p = parts(date)
        return "\(p.day ?? 1) \(months[(p.month ?? 1) - 1].prefix(3)) \(p.year ?? 1970) \(two(p.hour)):\(two(p.minute))"
    }

    /// "29 Nov 14:05"
    static func short(_ date: Date) -> String {
        let p = parts(date)
        return "\(p.day ?? 1) \(months[(p.month ?? 1) - 1].prefix(3)) \(two(p.hour)):\(two(p.minute))"
    }

    /// "2026-11-29"
    static func iso(_ date: Date) -> String {
        let p = parts(date)
        return "\(p.year ?? 1970)-\(two(p.month))-\(two(p.day))"
    }

    private static func two(_ n: Int?) -> String {
        let v = n ?? 0
        return v < 10 ? "0\(v)" : "\(v)"
    }

    /// "37,200"
    static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}
