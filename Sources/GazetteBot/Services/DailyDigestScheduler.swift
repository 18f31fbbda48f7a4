import Foundation
import GazetteCore
import GazetteDigest
import Logging
import ServiceLifecycle

/// Sends each user's daily digest at their hour in their time zone (default 20:00 UTC), at most once per user
/// per local day even with several bot processes: the `deliveries` row (user, "daily", date) is claimed first,
/// and only the process that claimed it sends. A failed delivery is retried with exponential backoff.
///
/// Quiet hours (local, default 23:00–08:00): a digest that is late (the bot was down at the chosen hour) or a
/// retry is not sent during them; a digest at the hour the user chose is always sent, since they chose it.
public struct DailyDigestScheduler: Service {
    public static let kind = "daily"

    let store: any DeliveryStore & BotStateStore
    let responder: DigestResponder
    let clock: any GazetteClock
    let logger: Logger
    /// Unique per process, recorded in the claimed row.
    public let owner: String
    public var tickSeconds: Double = 60
    public var quietStart = 23
    public var quietEnd = 8
    public var maxAttempts = 5
    /// Retry n waits `retryBase * 2^(n-1)` seconds after the failure.
    public var retryBase: Double = 60
    public var hours = 24
    /// Where delivered digests are kept for the web reader and the Atom feed (issue 18); nil keeps none.
    public var archive: (any DigestArchiveStore)?

    public init(store: any DeliveryStore & BotStateStore, responder: DigestResponder, clock: any GazetteClock, logger: Logger, owner: String) {
        self.store = store
        self.responder = responder
        self.clock = clock
        self.logger = logger
        self.owner = owner
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    await self.runOnce()
                    try await self.clock.sleep(seconds: self.tickSeconds)
                }
            }
        } catch is CancellationError {
            logger.info("daily digest scheduler stopped")
        }
    }

    /// One pass over users with the daily digest on. Returns how many digests this process delivered.
    @discardableResult
    public func runOnce() async -> Int {
        let now = clock.now()
        let users: [UserSettings]
        do {
            users = try await store.usersWithDailyDigest()
        } catch {
            logger.error("cannot list daily digest users", metadata: ["error": .string(String(describing: error))])
            return 0
        }
        var delivered = 0
        for settings in users {
            guard let chatID = settings.chatID, let period = period(for: settings, now: now) else { continue }
            do {
                if try await deliver(settings, chatID: chatID, period: period, now: now) { delivered += 1 }
            } catch {
                logger.error("daily digest failed", metadata: ["user_id": .stringConvertible(settings.userID),
                                                               "error": .string(BotHandler.describe(error))])
            }
        }
        return delivered
    }

    /// The local date (`YYYY-MM-DD`) whose digest is due now, or nil when none is.
    func period(for settings: UserSettings, now: Date) -> String? {
        let zone = TimeZone(identifier: settings.timeZone) ?? TimeZone(identifier: "UTC")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour], from: now)
        guard let hour = c.hour, let year = c.year, let month = c.month, let day = c.day, hour >= settings.dailyHour else { return nil }
        if hour != settings.dailyHour, isQuiet(hour) { return nil }
        return String(format: "%04d-%02d-%02d", year, month, day)
    }

    func isQuiet(_ hour: Int) -> Bool {
        quietStart <= quietEnd ? (quietStart..<quietEnd).contains(hour) : (hour >= quietStart || hour < quietEnd)
    }

    private func deliver(_ settings: UserSettings, chatID: Int64, period: String, now: Date) async throws -> Bool {
        if let existing = try await store.delivery(userID: settings.userID, kind: Self.kind, period: period) {
            guard existing.status == .failed, existing.attempts < maxAttempts else { return false }
            let retryAt = existing.updatedAt.addingTimeInterval(retryBase * pow(2, Double(existing.attempts - 1)))
            guard now >= retryAt else { return false }
        }
        guard try await store.claimDelivery(userID: settings.userID, kind: Self.kind, period: period, owner: owner, now: now) else {
            return false
        }
        do {
            try await responder.respond(chatID: chatID, userID: settings.userID, hours: hours, settings: settings, notifyEmpty: false) { content in
                await self.archive(content, userID: settings.userID, period: period)
            }
        } catch {
            try await store.finishDelivery(userID: settings.userID, kind: Self.kind, period: period, status: .failed, now: clock.now())
            throw error
        }
        try await store.finishDelivery(userID: settings.userID, kind: Self.kind, period: period, status: .sent, now: clock.now())
        logger.info("daily digest delivered", metadata: ["user_id": .stringConvertible(settings.userID), "period": .string(period)])
        return true
    }

    /// Keeps a delivered digest in the archive. The reader already has it, so a failure here is logged, not retried.
    private func archive(_ content: DigestContent, userID: Int64, period: String) async {
        guard let archive else { return }
        do {
            _ = try await archive.recordArchivedDigest(content.archived(userID: userID, kind: Self.kind, period: period, at: clock.now()))
        } catch {
            logger.warning("the delivered digest could not be archived", metadata: ["user_id": .stringConvertible(userID),
                                                                                     "error": .string(String(describing: error))])
        }
    }
}
