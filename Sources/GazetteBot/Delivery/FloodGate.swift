import GazetteCore
import Foundation

/// Telegram's broadcast limits: at most one message per second to one chat and about 30 per second overall
/// (we stay at 25). Each caller reserves the next free slot synchronously, then sleeps until it, so concurrent
/// senders queue up fairly instead of polling.
public actor FloodGate {
    public struct Limits: Sendable {
        public var perChatInterval: Double
        public var globalPerSecond: Double
        public init(perChatInterval: Double = 1.0, globalPerSecond: Double = 25) {
            self.perChatInterval = perChatInterval
            self.globalPerSecond = globalPerSecond
        }
    }

    private let limits: Limits
    private let clock: any GazetteClock
    private var nextForChat: [Int64: Date] = [:]
    private var nextGlobal: Date = .distantPast

    public init(limits: Limits = .init(), clock: any GazetteClock) {
        self.limits = limits
        self.clock = clock
    }

    /// Waits until a message to `chatID` may be sent.
    public func acquire(chatID: Int64) async throws {
        let now = clock.now()
        let slot = max(now, nextForChat[chatID] ?? .distantPast, nextGlobal)
        nextForChat[chatID] = slot.addingTimeInterval(limits.perChatInterval)
        nextGlobal = slot.addingTimeInterval(1 / limits.globalPerSecond)
        if nextForChat.count > 10_000 { nextForChat = nextForChat.filter { $0.value > now } }
        let wait = slot.timeIntervalSince(now)
        if wait > 0 { try await clock.sleep(seconds: wait) }
    }

    /// Pushes every later message to `chatID` (or to all chats for a global flood wait) behind a 429's `retry_after`.
    public func penalize(chatID: Int64?, seconds: Double) {
        let until = clock.now().addingTimeInterval(seconds)
        if let chatID {
            nextForChat[chatID] = max(nextForChat[chatID] ?? .distantPast, until)
        } else {
            nextGlobal = max(nextGlobal, until)
        }
    }
}
