import Foundation

/// What happened to one channel in a pass.
public struct ChannelReport: Sendable, Equatable {
    public enum Status: String, Sendable { case ok, notModified = "not modified", failed, released, skipped }
    public var channel: String
    public var status: Status
    public var saved: Int
    public var skipped: Int
    public var pages: Int
    /// The `error_type` label and the message, when the channel failed.
    public var errorType: FetchErrorType?
    public var error: String?
    public var duration: TimeInterval
}

/// The result of one pass.
public struct PassReport: Sendable, Equatable {
    public var startedAt: Date
    public var duration: TimeInterval
    public var channels: [ChannelReport]
    public var expiredDeleted: Int
    /// The pass stopped early because of shutdown.
    public var interrupted: Bool
    /// When the earliest lease another worker holds on a due channel runs out (nil when none, or not asked): a
    /// worker that crashed holding it leaves the channel to whoever looks again then.
    public var nextForeignLeaseExpiry: Date? = nil

    public var saved: Int { channels.reduce(0) { $0 + $1.saved } }
    public var skipped: Int { channels.reduce(0) { $0 + $1.skipped } }
    public var failed: Int { channels.filter { $0.status == .failed }.count }

    /// A plain-text table, one row per channel, for `gazette fetch` on a terminal.
    public func table() -> String {
        let header = ["channel", "status", "saved", "skipped", "pages", "time", "error"]
        var rows = channels.sorted { $0.channel < $1.channel }.map { c in
            [c.channel, c.status.rawValue, String(c.saved), String(c.skipped), String(c.pages),
             String(format: "%.1fs", c.duration), c.errorType.map { "\($0.rawValue): \(c.error ?? "")" } ?? ""]
        }
        rows.append(["total (\(channels.count))", failed == 0 ? "ok" : "\(failed) failed", String(saved), String(skipped),
                     "", String(format: "%.1fs", duration), ""])
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < header.count - 1 { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var out = [line(header), widths.dropLast().map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += rows.dropLast().map(line)
        out.append(line(rows.last!))
        return out.joined(separator: "\n")
    }
}
