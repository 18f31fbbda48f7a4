import GazetteCore

/// What an inline button does. Every button's `callback_data` is produced by `data` and read back by `parse`,
/// which refuses anything it did not produce (forged, truncated or from an older bot version).
public enum CallbackAction: Sendable, Equatable {
    case menu
    case channels(page: Int)
    case channel(id: Int64)
    case askUnsubscribe(id: Int64)
    case confirmUnsubscribe(id: Int64)
    case subscribe
    case cancel
    case digest(hours: Int)
    case settings
    case toggleDaily
    case chooseHour
    case setHour(Int)
    case chooseTimeZone
    case setTimeZone(String)
    case toggleFormat
    /// Digest language: auto → ru → en → auto.
    case cycleLanguage
    /// The "no ads" filter on or off.
    case toggleAds
    /// Asks for a phrase (include, exclude) or a channel (mute) to add as a filter.
    case askFilter(ReaderFilter.Kind)
    case clearFilters
    /// Where the daily digest goes: one destination on or off (issue 18).
    case toggleDestination(DigestDestination)

    /// Time zones offered as buttons (others can be typed with /timezone).
    public static let timeZones = ["UTC", "Europe/London", "Europe/Berlin", "Europe/Kyiv", "Europe/Moscow",
                                   "Asia/Dubai", "Asia/Almaty", "Asia/Tokyo", "America/New_York", "America/Los_Angeles"]
    public static let digestHours = [6, 12, 24, 48, 72, 168]

    public var data: String {
        switch self {
        case .menu: "menu"
        case .channels(let page): "channels:\(page)"
        case .channel(let id): "channel:\(id)"
        case .askUnsubscribe(let id): "unsubscribe:\(id)"
        case .confirmUnsubscribe(let id): "unsubscribe!:\(id)"
        case .subscribe: "subscribe"
        case .cancel: "cancel"
        case .digest(let hours): hours == 24 ? "digest" : "digest:\(hours)"
        case .settings: "settings"
        case .toggleDaily: "set:daily"
        case .chooseHour: "set:hour"
        case .setHour(let h): "set:hour:\(h)"
        case .chooseTimeZone: "set:tz"
        case .setTimeZone(let zone): "set:tz:\(Self.timeZones.firstIndex(of: zone) ?? 0)"
        case .toggleFormat: "set:format"
        case .cycleLanguage: "set:lang"
        case .toggleAds: "set:ads"
        case .askFilter(let kind): "filter:\(kind.rawValue)"
        case .clearFilters: "filter:clear"
        case .toggleDestination(let d): "dest:\(d.rawValue)"
        }
    }

    public static func parse(_ data: String) -> CallbackAction? {
        guard data.utf8.count <= 64 else { return nil }
        let parts = data.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func id(_ s: String) -> Int64? { Int64(s).flatMap { $0 > 0 ? $0 : nil } }
        switch (parts.first ?? "", parts.count) {
        case ("menu", 1): return .menu
        case ("channels", 2): return Int(parts[1]).flatMap { (0...1000).contains($0) ? .channels(page: $0) : nil }
        case ("channel", 2): return id(parts[1]).map { .channel(id: $0) }
        case ("unsubscribe", 2): return id(parts[1]).map { .askUnsubscribe(id: $0) }
        case ("unsubscribe!", 2): return id(parts[1]).map { .confirmUnsubscribe(id: $0) }
        case ("subscribe", 1): return .subscribe
        case ("cancel", 1): return .cancel
        case ("digest", 1): return .digest(hours: 24)
        case ("digest", 2): return Int(parts[1]).flatMap { digestHours.contains($0) ? .digest(hours: $0) : nil }
        case ("settings", 1): return .settings
        case ("set", 2):
            switch parts[1] {
            case "daily": return .toggleDaily
            case "hour": return .chooseHour
            case "tz": return .chooseTimeZone
            case "format": return .toggleFormat
            case "lang": return .cycleLanguage
            case "ads": return .toggleAds
            default: return nil
            }
        case ("dest", 2): return DigestDestination(rawValue: parts[1]).map { .toggleDestination($0) }
        case ("filter", 2):
            if parts[1] == "clear" { return .clearFilters }
            return ReaderFilter.Kind(rawValue: parts[1]).flatMap { [.include, .exclude, .mute].contains($0) ? .askFilter($0) : nil }
        case ("set", 3) where parts[1] == "hour": return Int(parts[2]).flatMap { (0...23).contains($0) ? .setHour($0) : nil }
        case ("set", 3) where parts[1] == "tz":
            return Int(parts[2]).flatMap { timeZones.indices.contains($0) ? .setTimeZone(timeZones[$0]) : nil }
        default: return nil
        }
    }
}
