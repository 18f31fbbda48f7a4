import Foundation

/// Dates as pages and feeds really write them (issue 26): RFC 822 with named or numeric zones, ISO 8601 / W3C-DTF
/// with or without time and zone, `2020/1/10 14:33:00`, US forms (`Dec 16 2023 02:02:33 PM`, `12/16/2023`), and
/// `16.12.2023`. Without a zone a date is UTC (as feedparser reads it). Nil means "not a date".
enum DateParsing {
    /// ISO 8601 first (t.me's `datetime`, Atom), then every other form.
    static func iso8601(_ raw: String) -> Date? { parse(raw) }

    /// RFC 822 first (`pubDate`, HTTP dates), then every other form.
    static func rfc822(_ raw: String) -> Date? { parse(raw) }

    static func parse(_ raw: String) -> Date? {
        let s = TextNormalizer.collapse(raw)
        guard !s.isEmpty, s.utf8.count <= 100 else { return nil }
        let bytes = Array(s.utf8)
        if let date = numericDate(bytes) { return date }
        return wordDate(s)
    }

    // MARK: yyyy-mm-dd and yyyy/mm/dd, with an optional time and zone

    private static func numericDate(_ b: [UInt8]) -> Date? {
        var scan = ByteScanner(bytes: b)
        guard let year = scan.number(minDigits: 4, maxDigits: 4), let sep = scan.byte(in: [UInt8(ascii: "-"), UInt8(ascii: "/")]),
              let month = scan.number(maxDigits: 2), scan.byte(in: [sep]) != nil, let day = scan.number(maxDigits: 2) else { return nil }
        var time = TimeOfDay()
        if scan.byte(in: [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")]) != nil {
            guard let parsed = scan.time() else { return nil }
            time = parsed
        }
        scan.skipSpaces()
        var offset = 0
        if !scan.atEnd {
            let rest = String(decoding: b[scan.index...], as: UTF8.self)
            var words = rest.split(separator: " ").map(String.init)
            if time.hour != nil, let first = words.first, let pm = meridiem(first) {
                time.pm = pm
                words.removeFirst()
            }
            guard words.count <= 1 else { return nil }
            if let zone = words.first {
                guard let z = zoneOffset(zone) else { return nil }
                offset = z
            }
        }
        return make(year: year, month: month, day: day, time: time, offset: offset)
    }

    // MARK: words: RFC 822 and its relatives, US forms, d.m.y

    private static func wordDate(_ s: String) -> Date? {
        var cleaned = ""
        var depth = 0
        for ch in s {
            // A parenthesised comment (`-0800 (PST)`) says nothing the numbers do not.
            if ch == "(" { depth += 1; continue }
            if ch == ")" { depth = max(0, depth - 1); continue }
            if depth == 0 { cleaned.append(ch == "," ? " " : ch) }
        }
        var year: Int?, month: Int?, day: Int?, offset: Int?
        var time = TimeOfDay()
        for raw in cleaned.split(separator: " ") {
            var token = String(raw)
            // `Fri, 05/03/2019 - 15:21`, `Dec 16, 2023 at 2:02 PM`: words between the date and the time.
            if token == "-" || token == "at" || token == "@" { continue }
            if token.hasSuffix(".") && token.count > 1 && !token.dropLast().contains(".") { token.removeLast() }
            if let m = monthNumber(token) {
                guard month == nil else { return nil }
                month = m
                continue
            }
            if weekday(token) { continue }
            if let pm = meridiem(token) {
                guard time.hour != nil else { return nil }
                time.pm = pm
                continue
            }
            if token.contains(":") && token.first?.isNumber == true {
                var scan = ByteScanner(bytes: Array(token.utf8))
                guard time.hour == nil, let t = scan.time() else { return nil }
                time = t
                if !scan.atEnd {
                    // `14:33:00Z`, `08:00:00+0200`, `5:04PM`
                    let rest = String(decoding: scan.bytes[scan.index...], as: UTF8.self)
                    if let pm = meridiem(rest) { time.pm = pm } else if let z = zoneOffset(rest) { offset = z } else { return nil }
                }
                continue
            }
            if let dmy = dottedOrSlashedDate(token) {
                guard year == nil, month == nil, day == nil else { return nil }
                (year, month, day) = dmy
                continue
            }
            if token.first == "+" || token.first == "-" {
                guard offset == nil, let z = zoneOffset(token) else { return nil }
                offset = z
                continue
            }
            if let n = Int(token), token.allSatisfy(\.isASCII) {
                // Four digits are a year; one or two a day, or a two-digit year after the day.
                if token.count == 4 {
                    guard year == nil else { return nil }
                    year = n
                } else if token.count <= 2 {
                    if day == nil { day = n } else if year == nil { year = n < 50 ? 2000 + n : 1900 + n } else { return nil }
                } else {
                    return nil
                }
                continue
            }
            if offset == nil, let z = zoneOffset(token) {
                offset = z
                continue
            }
            return nil
        }
        guard let year, let month, let day else { return nil }
        return make(year: year, month: month, day: day, time: time, offset: offset ?? 0)
    }

    /// `12/16/2023` (US: month first) and `16.12.2023` (day first), with 2- or 4-digit years; a day above 12 settles
    /// the order either way.
    private static func dottedOrSlashedDate(_ token: String) -> (Int, Int, Int)? {
        let slash = token.contains("/")
        let parts = token.split(separator: slash ? "/" : ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let a = Int(parts[0]), let b = Int(parts[1]), var y = Int(parts[2]) else { return nil }
        if parts[2].count == 2 { y += y < 50 ? 2000 : 1900 } else if parts[2].count != 4 { return nil }
        // The order a reader can tell wins (`16/12/2023` is day first); an ambiguous one follows the separator.
        if a > 12, b <= 12 { return (y, b, a) }
        if b > 12, a <= 12 { return (y, a, b) }
        return slash ? (y, a, b) : (y, b, a)
    }

    // MARK: pieces

    struct TimeOfDay {
        var hour: Int?
        var minute = 0
        var second = 0
        var nanos = 0
        var pm: Bool?
    }

    private static func make(year: Int, month: Int, day: Int, time: TimeOfDay, offset: Int) -> Date? {
        var hour = time.hour ?? 0
        if let pm = time.pm {
            guard (1...12).contains(hour) else { return nil }
            hour = hour % 12 + (pm ? 12 : 0)
        }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), (0...24).contains(hour),
              (0...59).contains(time.minute), (0...60).contains(time.second), (1000...9999).contains(year) else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + time.minute * 60 + min(time.second, 59) - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds) + TimeInterval(time.nanos) / 1e9)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (the era arithmetic of the civil calendar).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let fullMonths = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                                     "october", "november", "december"]

    /// Month names feeds in other languages write where RFC 822 wants English ones (`Seg, 24 Set 2018`,
    /// `24 сентября 2018`): Portuguese, Spanish, French, German, Italian and Russian abbreviations and Russian's
    /// genitive forms, each with its month number.
    private static let localMonths: [String: Int] = {
        let names: [[String]] = [
            ["ene", "janv", "gen", "янв", "января", "январь", "jän", "jänner"],
            ["fev", "févr", "fevr", "фев", "февраля", "февраль"],
            ["mär", "mrz", "mars", "мар", "марта", "март"],
            ["abr", "avr", "apr", "апр", "апреля", "апрель"],
            ["mai", "mag", "май", "мая"],
            ["juin", "giu", "июн", "июня", "июнь"],
            ["juil", "lug", "июл", "июля", "июль"],
            ["ago", "août", "aout", "авг", "августа", "август"],
            ["set", "сен", "сент", "сентября", "сентябрь"],
            ["out", "okt", "ott", "окт", "октября", "октябрь"],
            ["ноя", "нояб", "ноября", "ноябрь"],
            ["dez", "dic", "déc", "дек", "декабря", "декабрь"],
        ]
        var out: [String: Int] = [:]
        for (i, list) in names.enumerated() { for name in list { out[name] = i + 1 } }
        return out
    }()

    private static func monthNumber(_ token: String) -> Int? {
        let t = token.lowercased()
        if let i = months.firstIndex(of: t) ?? fullMonths.firstIndex(of: t) { return i + 1 }
        if t == "sept" { return 9 }
        return localMonths[t]
    }

    private static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "tuesday", "wednesday",
                                   "thursday", "friday", "saturday", "sunday", "tues", "thur", "thurs",
                                   // Portuguese, German, French and Russian abbreviations that are no month name.
                                   "seg", "ter", "qua", "qui", "sex", "sáb", "dom", "mo", "di", "mi", "do", "fr", "sa", "so",
                                   "lun", "mer", "jeu", "ven", "sam", "dim", "пн", "вт", "ср", "чт", "пт", "сб", "вс"]

    private static func weekday(_ token: String) -> Bool { weekdays.contains(token.lowercased()) }

    private static func meridiem(_ token: String) -> Bool? {
        switch token.lowercased() {
        case "am", "a.m.": false
        case "pm", "p.m.": true
        default: nil
        }
    }

    /// Zone names real feeds write, in seconds east of UTC. Military letters other than `Z` are left out: RFC 822
    /// got their signs backwards and RFC 2822 says to read them as unknown.
    private static let namedZones: [String: Int] = [
        "z": 0, "ut": 0, "utc": 0, "gmt": 0, "wet": 0,
        "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7,
        "akst": -9, "akdt": -8, "hst": -10,
        "bst": 1, "cet": 1, "cest": 2, "met": 1, "mest": 2, "west": 1, "eet": 2, "eest": 3, "msk": 3,
        "jst": 9, "kst": 9, "aest": 10, "aedt": 11, "nzst": 12, "nzdt": 13,
    ].mapValues { $0 * 3_600 }

    /// `+0200`, `-08:00`, `+02`, `GMT+2`, `UTC`, `PST`.
    static func zoneOffset(_ token: String) -> Int? {
        let lower = token.lowercased()
        if let named = namedZones[lower] { return named }
        var numeric = Substring(lower)
        for prefix in ["gmt", "utc", "ut"] where numeric.hasPrefix(prefix) {
            numeric = numeric.dropFirst(prefix.count)
            break
        }
        guard let sign = numeric.first, sign == "+" || sign == "-" else { return nil }
        let digits = numeric.dropFirst().filter { $0 != ":" }
        guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let hours: Int, minutes: Int
        switch digits.count {
        case 1, 2: (hours, minutes) = (Int(digits) ?? 0, 0)
        case 3: (hours, minutes) = (Int(digits.prefix(1)) ?? 0, Int(digits.suffix(2)) ?? 0)
        default: (hours, minutes) = (Int(digits.prefix(2)) ?? 0, Int(digits.suffix(2)) ?? 0)
        }
        guard hours <= 14, minutes < 60 else { return nil }
        return (sign == "-" ? -1 : 1) * (hours * 3_600 + minutes * 60)
    }
}

/// A cursor over ASCII bytes for the numeric date forms.
private struct ByteScanner {
    let bytes: [UInt8]
    var index = 0

    var atEnd: Bool { index >= bytes.count }

    mutating func number(minDigits: Int = 1, maxDigits: Int) -> Int? {
        var value = 0, count = 0
        while index < bytes.count, count < maxDigits, bytes[index] >= 48, bytes[index] <= 57 {
            value = value * 10 + Int(bytes[index] - 48)
            index += 1
            count += 1
        }
        return count >= minDigits ? value : nil
    }

    mutating func byte(in set: [UInt8]) -> UInt8? {
        guard index < bytes.count, set.contains(bytes[index]) else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func skipSpaces() {
        while index < bytes.count, bytes[index] == 32 { index += 1 }
    }

    /// `h:mm`, `hh:mm:ss`, `hh:mm:ss.fff`; a zone or AM/PM may follow.
    mutating func time() -> DateParsing.TimeOfDay? {
        guard let hour = number(maxDigits: 2), byte(in: [58]) != nil, let minute = number(minDigits: 2, maxDigits: 2) else { return nil }
        var t = DateParsing.TimeOfDay(hour: hour, minute: minute)
        if byte(in: [58]) != nil {
            guard let second = number(minDigits: 2, maxDigits: 2) else { return nil }
            t.second = second
            if byte(in: [46, 44]) != nil {
                let start = index
                guard let fraction = number(maxDigits: 9) else { return nil }
                t.nanos = fraction * Int(pow(10, Double(9 - (index - start))))
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
            }
        }
        skipSpaces()
        return t
    }
}
