import Foundation
import GazetteCore
import GazetteDigest
import Logging

/// Answers one digest request (a command, a button or the daily schedule): chat action, digest (cached or built),
/// `sendDocument`, and the text fallback when the PDF cannot be rendered.
public struct DigestResponder: Sendable {
    let digests: any DigestDelivering
    let messenger: BotMessenger
    let metrics: BotMetrics
    let clock: any GazetteClock
    let logger: Logger

    public enum Outcome: Sendable, Equatable {
        case document(cacheHit: Bool)
        case text(parts: Int, fallback: Bool)
        case empty
        /// Every story had been sent before and nothing new arrived.
        case nothingNew
    }

    public init(digests: any DigestDelivering, messenger: BotMessenger, metrics: BotMetrics, clock: any GazetteClock, logger: Logger) {
        self.digests = digests
        self.messenger = messenger
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
    }

    /// Sends the digest; on failure tells the user (when possible) and throws so schedulers can retry.
    @discardableResult
    public func respond(chatID: Int64, userID: Int64, hours: Int, settings: UserSettings, notifyEmpty: Bool = true) async throws -> Outcome {
        metrics.digestRequests.increment()
        let started = ContinuousClock.now
        defer { metrics.digestDuration.record(ContinuousClock.now - started) }
        let now = clock.now()
        do {
            if settings.format == .text {
                return try await sendText(chatID: chatID, userID: userID, hours: hours, now: now, fallback: false, notifyEmpty: notifyEmpty)
            }
            // The status is a nicety: when it fails the digest still goes out.
            do {
                try await messenger.chatAction(chatID: chatID, action: "upload_document")
            } catch {
                logger.debug("sendChatAction failed", metadata: ["error_type": .string(error.kind.rawValue)])
            }
            let delivery: DigestDelivery
            do {
                delivery = try await digests.deliver(userID: userID, hours: hours, now: now, format: .pdf)
            } catch .renderFailed(_, let reason) {
                metrics.digestError(.renderFailed)
                logger.warning("pdf digest failed; sending the text digest", metadata: ["reason": .string(reason)])
                return try await sendText(chatID: chatID, userID: userID, hours: hours, now: now, fallback: true, notifyEmpty: notifyEmpty)
            }
            switch delivery {
            case .empty:
                if notifyEmpty { try await messenger.send(chatID: chatID, html: Self.emptyText(hours: hours)) }
                return .empty
            case .nothingNew:
                // Answered from what was delivered, without building a digest: counted as a cache hit, so the
                // hit rate keeps measuring how many requests cost a render (docs/BOT.md).
                metrics.digestCacheHits.increment()
                if notifyEmpty { try await messenger.send(chatID: chatID, html: Self.nothingNewText) }
                return .nothingNew
            case .text(let messages, let records):
                try await messenger.sendPlain(chatID: chatID, messages: messages)
                try await digests.confirmDelivery(records)
                return .text(parts: messages.count, fallback: false)
            case .pdf(let document, let records):
                if document.cacheHit { metrics.digestCacheHits.increment() }
                let fileName = "digest_\(Self.day(now, timeZone: settings.timeZone)).pdf"
                try await messenger.sendDocument(chatID: chatID, data: document.data, fileName: fileName,
                                                 caption: Self.caption(document, hours: hours, now: now, timeZone: settings.timeZone))
                try await digests.confirmDelivery(records)
                return .document(cacheHit: document.cacheHit)
            }
        } catch let error as DigestError {
            switch error {
            case .storage: metrics.digestError(.database)
            // Arguments are checked by the bot before it asks; a refusal is reported like a failed render.
            case .renderFailed, .invalidArgument, .invalidTemplate, .notSubscribed: metrics.digestError(.renderFailed)
            }
            logger.error("digest failed", metadata: ["user_id": .stringConvertible(userID), "error": .string(error.description)])
            do {
                try await tellFailure(chatID: chatID)
            } catch let sendError {
                logger.warning("could not tell the user the digest failed", metadata: ["error_type": .string(sendError.kind.rawValue)])
            }
            throw error
        } catch let error as BotAPIError {
            metrics.digestError(error.kind == .rateLimited ? .rateLimited : .sendFailed)
            logger.error("digest could not be sent", metadata: ["user_id": .stringConvertible(userID), "error_type": .string(error.kind.rawValue)])
            throw error
        }
    }

    private func sendText(chatID: Int64, userID: Int64, hours: Int, now: Date, fallback: Bool, notifyEmpty: Bool) async throws -> Outcome {
        let messages: [String]
        let records: [DeliveredStory]
        switch try await digests.deliver(userID: userID, hours: hours, now: now, format: .text) {
        case .empty, .pdf:
            if notifyEmpty { try await messenger.send(chatID: chatID, html: Self.emptyText(hours: hours)) }
            return .empty
        case .nothingNew:
            if notifyEmpty { try await messenger.send(chatID: chatID, html: Self.nothingNewText) }
            return .nothingNew
        case .text(let m, let r):
            messages = m
            records = r
        }
        if fallback {
            try await messenger.send(chatID: chatID, html: "The PDF could not be made this time; here is the digest as text.")
        }
        try await messenger.sendPlain(chatID: chatID, messages: messages)
        try await digests.confirmDelivery(records)
        return .text(parts: messages.count, fallback: fallback)
    }

    static let nothingNewText = "Nothing new since your last digest."

    private func tellFailure(chatID: Int64) async throws(BotAPIError) {
        try await messenger.send(chatID: chatID, html: "😕 Sorry, the digest could not be made right now. Please try again in a few minutes.")
    }

    static func emptyText(hours: Int) -> String { "No new posts in the last \(hours) hours." }

    static func caption(_ d: DigestPDF, hours: Int, now: Date, timeZone: String) -> String {
        "Gazette digest — \(day(now, timeZone: timeZone)), last \(hours) h: \(d.channels) channel\(d.channels == 1 ? "" : "s"), "
            + "\(d.posts) post\(d.posts == 1 ? "" : "s"), \(d.pages) page\(d.pages == 1 ? "" : "s")"
    }

    /// `YYYY-MM-DD` of `date` in the user's time zone (UTC when the zone is unknown).
    static func day(_ date: Date, timeZone: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }
}
