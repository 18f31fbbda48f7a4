import Foundation
import Logging
import Synchronization

/// Shows a `gazette fetch` as it goes: a live line on a terminal, log lines otherwise, and the summary table.
public final class FetchProgress: Sendable {
    private struct Counts {
        var total = 0
        var done = 0
        var saved = 0
        var failed = 0
    }

    private let interactive: Bool
    private let logger: Logger
    private let counts = Mutex(Counts())
    private let write: @Sendable (String) -> Void

    /// - Parameters:
    ///   - interactive: a terminal is attached (`isatty`); nil decides from standard error.
    ///   - write: where terminal output goes (standard error by default; tests capture it).
    public init(interactive: Bool? = nil, logger: Logger, write: (@Sendable (String) -> Void)? = nil) {
        self.interactive = interactive ?? (isatty(STDERR_FILENO) == 1)
        self.logger = logger
        self.write = write ?? { FileHandle.standardError.write(Data($0.utf8)) }
    }

    public func start(total: Int) {
        counts.withLock { $0.total = total }
        if interactive {
            write("fetching \(total) channel\(total == 1 ? "" : "s")…\n")
        } else {
            logger.info("fetch pass started", metadata: ["channels": "\(total)"])
        }
    }

    public func channelDone(_ report: ChannelReport) {
        let c = counts.withLock { c -> Counts in
            c.done += 1
            c.saved += report.saved
            if report.status == .failed { c.failed += 1 }
            return c
        }
        if interactive {
            let total = max(c.total, c.done)
            write("\r\u{1B}[K[\(c.done)/\(total)] channels done, \(c.saved) posts saved" + (c.failed > 0 ? ", \(c.failed) failed" : ""))
        } else {
            var metadata: Logger.Metadata = [
                "channel": "\(report.channel)", "status": "\(report.status.rawValue)", "saved": "\(report.saved)",
                "skipped": "\(report.skipped)", "done": "\(c.done)", "total": "\(c.total)",
            ]
            if let type = report.errorType {
                metadata["error_type"] = "\(type.rawValue)"
                metadata["error"] = "\(report.error ?? "")"
            }
            logger.info("channel fetched", metadata: metadata)
        }
    }

    public func finish(_ report: PassReport) {
        if interactive {
            write("\r\u{1B}[K\n" + report.table() + "\n")
        } else {
            logger.info("fetch pass finished", metadata: [
                "channels": "\(report.totals.channels)", "saved": "\(report.saved)", "skipped": "\(report.skipped)",
                "failed": "\(report.failed)", "duration_s": "\(String(format: "%.2f", report.duration))",
            ])
        }
    }
}
