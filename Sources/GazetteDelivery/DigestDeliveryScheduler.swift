import Foundation
import GazetteCore
import GazetteDigest
import Logging
import ServiceLifecycle

/// Sends each user's daily digest to every destination they chose (Telegram, email, the feed) at their hour in their
/// time zone (default 20:00 UTC), at most once per user and local day, also with several processes: the
/// `deliveries` row (user, `daily`, date) is claimed first and only the process that claimed it builds the digest —
/// once — and hands it to each destination. Each destination that got it is recorded in its own row
/// (`daily.telegram`, `daily.email`, `daily.feed`), so a retry after a partial failure sends only what is missing.
/// A failed delivery is retried with exponential backoff, at most `maxAttempts` times a day.
///
/// Quiet hours (local, default 23:00–08:00): a digest that is late (the process was down at the chosen hour) or a
/// retry is not sent during them; a digest at the hour the user chose is always sent, since they chose it.
public struct DigestDeliveryScheduler: Service {
    public static let kind = "daily"

    let store: any DeliveryStore & BotStateStore
    let digests: any DigestDelivering
    /// The destinations this process can reach (Telegram only where the bot runs, email only with SMTP configured).
    public var senders: [any DigestSender]
    public let metrics: DeliveryMetrics
    let clock: any GazetteClock
    let logger: Logger
    /// Unique per process, recorded in the claimed rows.
    public let owner: String
    public var tickSeconds: Double = 60
    public var quietStart = 23
    public var quietEnd = 8
    public var maxAttempts = 5
    /// Retry n waits `retryBase * 2^(n-1)` seconds after the failure.
    public var retryBase: Double = 60
    public var hours = 24

    public init(store: any DeliveryStore & BotStateStore, digests: any DigestDelivering, senders: [any DigestSender],
                metrics: DeliveryMetrics, clock: any GazetteClock, logger: Logger, owner: String) {
        self.store = store
        self.digests = digests
        self.senders = senders
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        self.owner = owner
    }

    /// `host-pid-random`: distinct for every process, also two on one machine.
    public static func defaultOwner() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    await self.runOnce()
                    // A pass at least as often as the first retry is due.
                    try await self.clock.sleep(seconds: min(self.tickSeconds, self.retryBase))
                }
            }
        } catch is CancellationError {
            logger.info("daily digest scheduler stopped")
        }
    }

    /// One pass over users with the daily digest on. Returns how many users' days this process finished (sent, or
    /// nothing to send).
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
            let chosen = senders.filter { settings.destinations.contains($0.destination) }
            let ready = chosen.filter { $0.unavailable(for: settings) == nil }
            guard !ready.isEmpty, let period = period(for: settings, now: now) else { continue }
            do {
                if try await deliver(settings, to: ready, skipped: chosen.filter { $0.unavailable(for: settings) != nil },
                                     period: period, now: now) {
                    delivered += 1
                }
            } catch {
                logger.error("daily digest failed", metadata: ["user_id": .stringConvertible(settings.userID),
                                                               "error": .string(String(describing: error))])
            }
        }
        return delivered
    }

    /// The local date (`YYYY-MM-DD`) whose digest is due now, or nil when none is.
    public func period(for settings: UserSettings, now: Date) -> String? {
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

    static func destinationKind(_ d: DigestDestination) -> String { "\(kind).\(d.rawValue)" }

    private func deliver(_ settings: UserSettings, to ready: [any DigestSender], skipped: [any DigestSender],
                         period: String, now: Date) async throws -> Bool {
        let user = settings.userID
        var attempt = 1
        if let existing = try await store.delivery(userID: user, kind: Self.kind, period: period) {
            guard existing.status == .failed, existing.attempts < maxAttempts else { return false }
            let retryAt = existing.updatedAt.addingTimeInterval(retryBase * pow(2, Double(existing.attempts - 1)))
            guard now >= retryAt else { return false }
            attempt = existing.attempts + 1
        }
        guard try await store.claimDelivery(userID: user, kind: Self.kind, period: period, owner: owner, now: now) else { return false }
        for sender in skipped {
            metrics.record(sender.destination, .skipped)
            logger.notice("daily digest destination skipped", metadata: [
                "user_id": .stringConvertible(user), "destination": .string(sender.destination.rawValue),
                "reason": .string(sender.unavailable(for: settings) ?? "")])
        }
        var pending: [any DigestSender] = []
        for sender in ready {
            let row = try await store.delivery(userID: user, kind: Self.destinationKind(sender.destination), period: period)
            if row?.status != .sent { pending.append(sender) }
        }
        let preparation: DigestPreparation
        do {
            preparation = try await digests.prepareDelivery(userID: user, hours: hours, now: now)
        } catch {
            for sender in pending { metrics.record(sender.destination, .failed) }
            try await store.finishDelivery(userID: user, kind: Self.kind, period: period, status: .failed, now: clock.now())
            throw error
        }
        guard case .ready(let digest) = preparation else {
            // Nothing to send today (no posts, or nothing new): the day is done.
            try await store.finishDelivery(userID: user, kind: Self.kind, period: period, status: .sent, now: clock.now())
            return true
        }
        var failures: [String] = []
        var anySent = false
        for sender in pending {
            let destination = sender.destination
            let rowKind = Self.destinationKind(destination)
            do {
                try await sender.send(digest, to: settings, period: period)
                metrics.record(destination, .sent)
                anySent = true
                if try await store.claimDelivery(userID: user, kind: rowKind, period: period, owner: owner, now: clock.now()) {
                    try await store.finishDelivery(userID: user, kind: rowKind, period: period, status: .sent, now: clock.now())
                }
            } catch {
                metrics.record(destination, .failed)
                failures.append("\(destination.rawValue): \(error)")
                logger.warning("daily digest not delivered", metadata: [
                    "user_id": .stringConvertible(user), "destination": .string(destination.rawValue), "attempt": .stringConvertible(attempt),
                    "error": .string(String(describing: error))])
            }
        }
        let lastAttempt = attempt >= maxAttempts
        // The stories count as delivered once every destination has them, or when no retry is left.
        if failures.isEmpty || (lastAttempt && anySent) {
            try await digests.confirmDelivery(digest.records)
        }
        try await store.finishDelivery(userID: user, kind: Self.kind, period: period, status: failures.isEmpty ? .sent : .failed,
                                       now: clock.now())
        guard failures.isEmpty else {
            throw DeliveryFailure(userID: user, period: period, attempt: attempt, lastAttempt: lastAttempt, failures: failures)
        }
        logger.info("daily digest delivered", metadata: [
            "user_id": .stringConvertible(user), "period": .string(period),
            "destinations": .string(pending.map(\.destination.rawValue).joined(separator: ","))])
        return true
    }
}

/// Some destinations of a daily digest failed; they are retried unless this was the last attempt.
public struct DeliveryFailure: Error, CustomStringConvertible {
    public var userID: Int64
    public var period: String
    public var attempt: Int
    public var lastAttempt: Bool
    public var failures: [String]
    public var description: String {
        "attempt \(attempt)\(lastAttempt ? " (the last)" : ""): " + failures.joined(separator: "; ")
    }
}
