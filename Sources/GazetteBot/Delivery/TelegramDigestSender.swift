import Foundation
import GazetteCore
import GazetteDelivery
import GazetteDigest

/// The daily digest's Telegram destination: the digest the scheduler built, sent through the bot's responder
/// (flood control, retries, the PDF or the text format).
public struct TelegramDigestSender: DigestSender {
    public let destination = DigestDestination.telegram
    let responder: DigestResponder
    public var hours = 24

    public init(responder: DigestResponder) {
        self.responder = responder
    }

    public func unavailable(for settings: UserSettings) -> String? {
        settings.chatID == nil ? "the user has not started the bot" : nil
    }

    public func send(_ digest: PreparedDigest, to settings: UserSettings, period: String) async throws {
        guard let chatID = settings.chatID else { return }
        try await responder.send(prepared: digest, chatID: chatID, settings: settings, hours: hours)
    }
}
