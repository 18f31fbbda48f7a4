import Foundation
import GazetteCore
import Logging
import ServiceLifecycle

/// Long polling of `getUpdates` as a ServiceLifecycle `Service`.
///
/// The offset lives in the database (`bot.update_offset`) and is advanced *before* a batch of updates is handled,
/// so after a crash or restart no update is handled twice (at most once: an update in flight during a crash is lost,
/// the price of never answering twice). Within a batch, chats are handled concurrently, each chat in order.
public struct UpdatePoller: Service {
    public static let offsetKey = "bot.update_offset"

    let api: BotAPIClient
    let store: any BotStateStore
    let handler: BotHandler
    let clock: any GazetteClock
    let logger: Logger
    /// `getUpdates` long-poll timeout in seconds.
    public var pollTimeout = 30
    /// Backoff after a failed poll: doubles from `baseBackoff` up to `maxBackoff`.
    public var baseBackoff: Double = 1
    public var maxBackoff: Double = 60

    public init(api: BotAPIClient, store: any BotStateStore, handler: BotHandler, clock: any GazetteClock, logger: Logger) {
        self.api = api
        self.store = store
        self.handler = handler
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await self.poll() }
        } catch is CancellationError {
            logger.info("bot poller stopped")
        }
    }

    /// Polls until cancelled. Throws `BotAPIError.unauthorized` (a bad token is fatal).
    func poll() async throws {
        let me = try await identify()
        var configured = self.handler
        configured.botUsername = me.username
        let handler = configured
        logger.info("bot started", metadata: ["bot": .string(me.username ?? String(me.id))])
        var offset = try await loadOffset()
        var failures = 0
        while !Task.isCancelled {
            let updates: [Update]
            do {
                updates = try await api.getUpdates(offset: offset, timeout: pollTimeout)
                failures = 0
            } catch .unauthorized {
                throw BotAPIError.unauthorized
            } catch {
                failures += 1
                let pause = pauseAfter(error, failures: failures)
                if case .conflict = error {
                    logger.error("\(error.description)", metadata: ["retry_in_s": .stringConvertible(pause)])
                } else {
                    logger.warning("getUpdates failed", metadata: ["error": .string(error.description), "retry_in_s": .stringConvertible(pause)])
                }
                try await clock.sleep(seconds: pause)
                continue
            }
            let batch = updates.filter { offset == nil || $0.updateID >= offset! }.sorted { $0.updateID < $1.updateID }
            guard let last = batch.last, !Task.isCancelled else { continue }
            let next = last.updateID + 1
            do {
                try await store.setStateValue(Self.offsetKey, String(next))
            } catch {
                // Without a stored offset the batch could be handled twice after a restart: poll it again later.
                failures += 1
                logger.error("cannot store the update offset", metadata: ["error": .string(String(describing: error))])
                try await clock.sleep(seconds: backoff(failures))
                continue
            }
            offset = next
            // Chats are answered concurrently, each chat's updates in order, so one slow digest does not hold up
            // everyone else. Shielded from cancellation: on shutdown the batch in hand (whose offset is already
            // stored) is finished, then polling stops.
            let groups = Self.byChat(batch)
            await Task {
                await withTaskGroup(of: Void.self) { group in
                    for updates in groups {
                        group.addTask { for update in updates { await handler.handle(update) } }
                    }
                }
            }.value
        }
    }

    /// Updates grouped by the chat they belong to, keeping their order within each chat.
    static func byChat(_ updates: [Update]) -> [[Update]] {
        var order: [Int64] = []
        var groups: [Int64: [Update]] = [:]
        for update in updates {
            let chat = update.message?.chat.id ?? update.callbackQuery?.message?.chat.id ?? update.callbackQuery?.from.id
                ?? update.channelPost?.chat.id ?? update.editedChannelPost?.chat.id ?? update.myChatMember?.chat.id ?? 0
            if groups[chat] == nil { order.append(chat) }
            groups[chat, default: []].append(update)
        }
        return order.map { groups[$0] ?? [] }
    }

    /// `getMe`, retried on transient errors; a rejected token ends the bot with a clear message.
    func identify() async throws -> User {
        var failures = 0
        while true {
            do {
                return try await api.getMe()
            } catch {
                guard error.isTransient else {
                    logger.critical("\(error.description)")
                    throw error
                }
                failures += 1
                try await clock.sleep(seconds: pauseAfter(error, failures: failures))
            }
        }
    }

    func loadOffset() async throws -> Int64? {
        guard let raw = try await store.stateValue(Self.offsetKey), !raw.isEmpty else { return nil }
        guard let value = Int64(raw) else {
            logger.warning("ignoring an unreadable stored update offset")
            return nil
        }
        return value
    }

    func pauseAfter(_ error: BotAPIError, failures: Int) -> Double {
        if case .tooManyRequests(let seconds) = error { return Double(seconds) }
        return backoff(failures)
    }

    func backoff(_ failures: Int) -> Double {
        min(maxBackoff, baseBackoff * pow(2, Double(max(0, failures - 1)))) * Double.random(in: 0.9...1.1)
    }
}
