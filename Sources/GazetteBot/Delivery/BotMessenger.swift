import GazetteCore
import Foundation
import Logging

/// Everything the bot sends goes through here: flood control before each message, `429 retry_after` honoured,
/// transient failures retried with exponential backoff (never a busy loop), every attempt counted.
public struct BotMessenger: Sendable {
    public static let messageLimit = 4096
    public static let captionLimit = 1024

    public let api: BotAPIClient
    let gate: FloodGate
    let metrics: BotMetrics
    let clock: any GazetteClock
    let logger: Logger
    /// Attempts per call, including the first.
    public var maxAttempts = 5
    /// First backoff after a network or server error; doubles per attempt, capped at `maxBackoff`.
    public var baseBackoff: Double = 1
    public var maxBackoff: Double = 30

    public init(api: BotAPIClient, gate: FloodGate, metrics: BotMetrics, clock: any GazetteClock, logger: Logger) {
        self.api = api
        self.gate = gate
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
    }

    /// Sends an HTML message, split on paragraph boundaries when it is longer than Telegram allows.
    /// The keyboard goes with the last part.
    public func send(chatID: Int64, html: String, keyboard: InlineKeyboardMarkup? = nil) async throws(BotAPIError) {
        let parts = MessageSplitter.split(html, limit: Self.messageLimit)
        for (index, part) in parts.enumerated() {
            let markup = index == parts.count - 1 ? keyboard : nil
            try await perform(.sendMessage, chatID: chatID) { () async throws(BotAPIError) in
                try await api.sendMessage(chatID: chatID, html: part, keyboard: markup)
            }
        }
    }

    /// Sends plain-text messages (each already ≤ 4096; longer ones are split again to be safe).
    public func sendPlain(chatID: Int64, messages: [String]) async throws(BotAPIError) {
        for message in messages {
            for part in MessageSplitter.split(message, limit: Self.messageLimit) {
                try await perform(.sendMessage, chatID: chatID) { () async throws(BotAPIError) in
                    try await api.sendPlainMessage(chatID: chatID, text: part)
                }
            }
        }
    }

    /// Replaces a menu message in place; "message is not modified" (the same menu pressed twice) is not an error.
    public func edit(chatID: Int64, messageID: Int64, html: String, keyboard: InlineKeyboardMarkup?) async throws(BotAPIError) {
        let text = MessageSplitter.split(html, limit: Self.messageLimit).first ?? ""
        do {
            try await perform(.editMessageText, chatID: chatID) { () async throws(BotAPIError) in
                try await api.editMessageText(chatID: chatID, messageID: messageID, html: text, keyboard: keyboard)
            }
        } catch .badRequest(let reason) where reason.contains("message is not modified") {
            return
        }
    }

    public func answer(callbackID: String, text: String? = nil) async throws(BotAPIError) {
        try await perform(.answerCallbackQuery, chatID: nil) { () async throws(BotAPIError) in
            try await api.answerCallbackQuery(id: callbackID, text: text.map { String($0.prefix(200)) })
        }
    }

    /// "uploading a document…" status; not a message, so not throttled, and one attempt is enough.
    public func chatAction(chatID: Int64, action: String) async throws(BotAPIError) {
        try await perform(.sendChatAction, chatID: nil, attempts: 1) { () async throws(BotAPIError) in
            try await api.sendChatAction(chatID: chatID, action: action)
        }
    }

    public func sendDocument(chatID: Int64, data: Data, fileName: String, caption: String) async throws(BotAPIError) {
        let shortCaption = Self.limitCaption(caption)
        try await perform(.sendDocument, chatID: chatID) { () async throws(BotAPIError) in
            try await api.sendDocument(chatID: chatID, data: data, fileName: fileName, caption: shortCaption)
        }
    }

    /// Captions are at most 1024 characters; a longer one is cut at a word and ends with "…".
    static func limitCaption(_ caption: String) -> String {
        guard caption.utf16.count > captionLimit else { return caption }
        var cut = ""
        for ch in caption {
            if cut.utf16.count + ch.utf16.count > captionLimit - 1 { break }
            cut.append(ch)
        }
        if let space = cut.lastIndex(where: { $0 == " " || $0 == "\n" }), cut.distance(from: cut.startIndex, to: space) > captionLimit / 2 {
            cut = String(cut[..<space])
        }
        return cut + "…"
    }

    /// Runs one Bot API call with flood control, retries and metrics.
    @discardableResult
    func perform<R>(_ method: BotMetrics.Method, chatID: Int64?, attempts: Int? = nil,
                    _ call: () async throws(BotAPIError) -> R) async throws(BotAPIError) -> R {
        let limit = attempts ?? maxAttempts
        var attempt = 0
        while true {
            attempt += 1
            if let chatID {
                do { try await gate.acquire(chatID: chatID) } catch { throw .network("cancelled") }
            }
            do {
                let result = try await call()
                metrics.messageSent(method)
                return result
            } catch {
                metrics.messageFailed(error.kind)
                guard error.isTransient, attempt < limit else {
                    logger.warning("bot api call failed", metadata: ["method": .string(method.rawValue),
                                                                     "error_type": .string(error.kind.rawValue),
                                                                     "attempt": .stringConvertible(attempt)])
                    throw error
                }
                let pause: Double
                if case .tooManyRequests(let retryAfter) = error {
                    pause = Double(retryAfter)
                    await gate.penalize(chatID: chatID, seconds: pause)
                } else {
                    let exp = min(maxBackoff, baseBackoff * pow(2, Double(attempt - 1)))
                    pause = exp * Double.random(in: 0.8...1.2)
                }
                logger.info("bot api call will be retried", metadata: ["method": .string(method.rawValue),
                                                                       "error_type": .string(error.kind.rawValue),
                                                                       "retry_in_s": .stringConvertible(pause)])
                do { try await clock.sleep(seconds: pause) } catch { throw .network("cancelled") }
            }
        }
    }
}
