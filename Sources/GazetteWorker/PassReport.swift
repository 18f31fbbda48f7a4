import Foundation

/// What happened to one channel in a pass.
public struct ChannelReport: Sendable, Equatable {
    public enum Status: String, Sendable {
        case ok, notModified = "not modified", failed, released, skipped
        /// An older page failed after newer ones were read (t.me paging): what was read is saved, the error is
        /// counted in `post_fetcher_errors_total` and kept in `errorType`/`error`.
        case partial
        /// Only the user account can read the channel and no account is logged in here: kept for the next pass.
        case waitingForLogin = "waiting for login"
    }
    public var channel: String
    public var status: Status
    public var saved: Int
    public var skipped: Int
    public var pages: Int
    /// The `error_type` label and the message, when the channel failed (or failed in part).
    public var errorType: FetchErrorType?
    public var error: String?
    public var duration: TimeInterval
}

/// What a pass added up to, channel by channel.
public struct PassTotals: Sendable, Equatable {
    public var channels = 0
    public var saved = 0
    public var skipped = 0
    public var failed = 0

    public init() {}

    public init(_ reports: [ChannelReport]) {
        for report in reports { add(report) }
    }

    mutating func add(_ report: ChannelReport) {
        channels += 1
        saved += report.saved
        skipped += report.skipped
        if report.status == .failed { failed += 1 }
    }
}

/// The result of one pass.
public struct PassReport: Sendable, Equatable {
    public var startedAt: Date
    public var duration: TimeInterval
    /// Every channel's report when the caller keeps them (`gazette fetch` prints them); the worker service keeps only
    /// the totals, so a pass over 10,000 channels holds no list of 10,000 reports.
    public var channels: [ChannelReport]
    public var totals: PassTotals
    public var expiredDeleted: Int
    /// The pass stopped early because of shutdown.
    public var interrupted: Bool
    /// When the earliest lease another worker holds on a due channel runs out (nil when none, or not asked): a
    /// worker that crashed holding it leaves the channel to whoever looks again then.
    public var nextForeignLeaseExpiry: Date?
    /// The process that owns the user account, when it is another one: the pass left the account's channels to it.
    public var accountHolder: String?
    /// Due channels read through the account that the pass left to `accountHolder` (keys; kept only with the
    /// channels' reports).
    public var leftToAccountHolder: [String] = []

    public init(startedAt: Date, duration: TimeInterval, channels: [ChannelReport], totals: PassTotals? = nil,
                expiredDeleted: Int, interrupted: Bool, nextForeignLeaseExpiry: Date? = nil) {
        self.startedAt = startedAt
        self.duration = duration
        self.channels = channels
        self.totals = totals ?? PassTotals(channels)
        self.expiredDeleted = expiredDeleted
        self.interrupted = interrupted
        self.nextForeignLeaseExpiry = nextForeignLeaseExpiry
    }

    public var saved: Int { totals.saved }
    public var skipped: Int { totals.skipped }
    public var failed: Int { totals.failed }

    /// Channels only the account can read that this pass did not read: left to the account's owner, or waiting
    /// for a login here.
    public var leftForAccount: [String] {
        leftToAccountHolder + channels.filter { $0.status == .waitingForLogin }.map(\.channel).sorted()
    }

    /// A plain-text table, one row per channel, for `gazette fetch` on a terminal.
    public func table() -> String {
        let header = ["channel", "status", "saved", "skipped", "pages", "time", "error"]
        var rows = channels.sorted { $0.channel < $1.channel }.map { c in
            [c.channel, c.status.rawValue, String(c.saved), String(c.skipped), String(c.pages),
             String(format: "%.1fs", c.duration), c.errorType.map { "\($0.rawValue): \(c.error ?? "")" } ?? ""]
        }
        rows.append(["total (\(totals.channels))", failed == 0 ? "ok" : "\(failed) failed", String(saved), String(skipped),
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
