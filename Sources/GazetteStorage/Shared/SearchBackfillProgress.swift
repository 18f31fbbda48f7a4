import Foundation
import Logging

/// The progress line of the search index build after migration 9: one log line when it starts (or resumes), one at
/// each further tenth of the posts, and one when it is done, so `gazette migrate` on a large database shows where it is
/// without a line per batch.
struct SearchBackfillProgress {
    let total: Int
    let logger: Logger
    let store: String
    private(set) var done = 0
    private var reportedTenths = 0
    private let started = ContinuousClock.now

    init(total: Int, resumedAfter: Int64, logger: Logger, store: String) {
        self.total = total
        self.logger = logger
        self.store = store
        let how = resumedAfter > 0 ? "resuming after post id \(resumedAfter)" : "starting"
        logger.info("building the search index: \(total) posts to index (\(how))", metadata: ["store": "\(store)"])
    }

    mutating func advance(by count: Int) {
        done += count
        let tenths = total > 0 ? min(10, done * 10 / total) : 10
        guard tenths > reportedTenths, tenths < 10 else { return }
        reportedTenths = tenths
        logger.info("building the search index: \(done) of \(total) posts (\(tenths * 10)%)", metadata: ["store": "\(store)"])
    }

    func finish() {
        let seconds = (ContinuousClock.now - started).inSeconds
        logger.info("search index built: \(done) posts in \(String(format: "%.1f", seconds)) s", metadata: ["store": "\(store)"])
    }
}
