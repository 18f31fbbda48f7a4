import Foundation
import GazetteCore
import GazetteDigest

extension DigestResponder {
    /// Sends a digest the delivery scheduler already built (issue 18): the PDF as a document, or the text messages in
    /// the text format or when the PDF could not be made. Stories are recorded by the scheduler once every
    /// destination has them, not here.
    public func send(prepared digest: PreparedDigest, chatID: Int64, settings: UserSettings, hours: Int) async throws {
        metrics.digestRequests.increment()
        let started = ContinuousClock.now
        defer { metrics.digestDuration.record(ContinuousClock.now - started) }
        let now = clock.now()
        do {
            if settings.format == .pdf, let pdf = digest.pdf {
                let fileName = "digest_\(Self.day(now, timeZone: settings.timeZone)).pdf"
                try await messenger.sendDocument(chatID: chatID, data: pdf.data, fileName: fileName,
                                                 caption: Self.caption(pdf, hours: hours, now: now, timeZone: settings.timeZone))
                return
            }
            if settings.format == .pdf {
                metrics.digestError(.renderFailed)
                try await messenger.send(chatID: chatID, html: "The PDF could not be made this time; here is the digest as text.")
            }
            try await messenger.sendPlain(chatID: chatID, messages: digest.messages)
        } catch let error as BotAPIError {
            metrics.digestError(error.kind == .rateLimited ? .rateLimited : .sendFailed)
            throw error
        }
    }
}
