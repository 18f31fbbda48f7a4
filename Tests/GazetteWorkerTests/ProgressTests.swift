import Foundation
@testable import GazetteWorker
import Logging
import Synchronization
import Testing

@Suite("fetch progress and summary")
struct ProgressTests {
    static func report() -> PassReport {
        PassReport(startedAt: Date(), duration: 2.5, channels: [
            ChannelReport(channel: "alphachan", status: .ok, saved: 12, skipped: 3, pages: 2, errorType: nil, error: nil, duration: 0.4),
            ChannelReport(channel: "brokenchan", status: .failed, saved: 0, skipped: 0, pages: 0, errorType: .source(.httpError),
                          error: "http://t.me/s/brokenchan answered HTTP 500", duration: 0.1),
        ], expiredDeleted: 0, interrupted: false)
    }

    @Test func summaryTableHasOneRowPerChannelAndTotals() {
        let lines = Self.report().table().split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines[0].hasPrefix("channel"))
        #expect(lines[2].hasPrefix("alphachan") && lines[2].contains("12") && lines[2].contains("ok"))
        #expect(lines[3].contains("failed") && lines[3].contains("http_error: http://t.me/s/brokenchan answered HTTP 500"))
        #expect(lines[4].hasPrefix("total (2)") && lines[4].contains("1 failed") && lines[4].contains("12"))
    }

    @Test func terminalShowsLiveCountsThenTheTable() {
        let out = Mutex("")
        let progress = FetchProgress(interactive: true, logger: Logger(label: "t"), write: { s in out.withLock { $0 += s } })
        progress.start(total: 2)
        for c in Self.report().channels { progress.channelDone(c) }
        progress.finish(Self.report())
        let text = out.withLock { $0 }
        #expect(text.contains("fetching 2 channels"))
        #expect(text.contains("[1/2] channels done, 12 posts saved"))
        #expect(text.contains("[2/2] channels done, 12 posts saved, 1 failed"))
        #expect(text.contains("total (2)"))
    }

    @Test func withoutTerminalNothingIsDrawn() {
        let out = Mutex("")
        let progress = FetchProgress(interactive: false, logger: Logger(label: "t"), write: { s in out.withLock { $0 += s } })
        progress.start(total: 2)
        for c in Self.report().channels { progress.channelDone(c) }
        progress.finish(Self.report())
        #expect(out.withLock { $0 }.isEmpty)
    }
}
