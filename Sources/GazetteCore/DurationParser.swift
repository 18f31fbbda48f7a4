import Foundation

/// Durations written as `90`, `30s`, `15m`, `1h`, `2d` (a bare number is seconds).
public enum DurationParser {
    public static func parse(_ text: String) -> TimeInterval? {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let last = s.last else { return nil }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let unit = units[last] {
            return Double(s.dropLast()).flatMap { $0.isFinite ? $0 * unit : nil }
        }
        return Double(s).flatMap { $0.isFinite ? $0 : nil }
    }

    public static func format(_ seconds: TimeInterval) -> String {
        if seconds >= 86400, seconds.truncatingRemainder(dividingBy: 86400) == 0 { return "\(Int(seconds / 86400))d" }
        if seconds >= 3600, seconds.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(seconds / 3600))h" }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
        return "\(Int(seconds))s"
    }
}
