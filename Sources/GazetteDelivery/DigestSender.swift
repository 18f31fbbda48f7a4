import Foundation
import GazetteCore
import GazetteDigest

/// One destination of the daily digest: Telegram (made from the bot's messenger in GazetteApp), email, the feed.
/// The scheduler builds the digest once and hands it to each sender the user chose.
public protocol DigestSender: Sendable {
    var destination: DigestDestination { get }
    /// Why this user's digest cannot go here in this process (no chat with the bot, no address), or nil.
    func unavailable(for settings: UserSettings) -> String?
    /// Sends (or stores) the digest; throws so that the scheduler retries it.
    func send(_ digest: PreparedDigest, to settings: UserSettings, period: String) async throws
}

/// The daily digest by email: the digest's HTML and plain text as alternatives, the PDF attached.
public struct EmailDigestSender: DigestSender {
    /// The HTML body of a digest (the web reader's email template over the digest's markdown).
    public typealias HTMLBody = @Sendable (PreparedDigest) throws -> String

    public let destination = DigestDestination.email
    let transport: any MailTransport
    let from: String
    let html: HTMLBody
    let metrics: DeliveryMetrics?
    let clock: any GazetteClock

    public init(transport: any MailTransport, from: String, html: @escaping HTMLBody, metrics: DeliveryMetrics?,
                clock: any GazetteClock = SystemClock()) {
        self.transport = transport
        self.from = from
        self.html = html
        self.metrics = metrics
        self.clock = clock
    }

    public func unavailable(for settings: UserSettings) -> String? {
        settings.email == nil ? "no email address" : nil
    }

    public func send(_ digest: PreparedDigest, to settings: UserSettings, period: String) async throws {
        guard let address = settings.email else { throw MailError(.failed, "no email address") }
        let body: String
        do {
            body = try html(digest)
        } catch {
            // The plain text still reads well; a template error must not cost the reader their digest.
            body = Self.preformatted(digest.plainText)
        }
        let message = Self.message(digest, from: from, to: address, period: period, html: body, date: clock.now())
        metrics?.emailSize.record(Double(message.rendered().count))
        let started = ContinuousClock.now
        defer { metrics?.emailSendDuration.record(ContinuousClock.now - started) }
        try await transport.send(message)
    }

    /// The plain text as an HTML body, escaped: what is sent when the HTML template fails.
    static func preformatted(_ text: String) -> String {
        "<!DOCTYPE html><html><body><pre style=\"white-space: pre-wrap\">\(HTMLEscaping.escape(text))</pre></body></html>"
    }

    /// The digest as a mail: subject with the day and counts, plain text and HTML, `digest_<day>.pdf` attached.
    public static func message(_ digest: PreparedDigest, from: String, to: String, period: String, html: String, date: Date) -> MailMessage {
        let content = digest.content
        let counts = "\(content.channels) channel\(content.channels == 1 ? "" : "s"), \(content.posts) post\(content.posts == 1 ? "" : "s")"
        var text = digest.plainText
        if let failure = digest.pdfFailure {
            text = "The PDF could not be made this time (\(failure)); the digest is below.\n\n" + text
        }
        let attachments = digest.pdf.map { [MailAttachment(fileName: "digest_\(period).pdf", contentType: "application/pdf", data: $0.data)] } ?? []
        return MailMessage(from: from, to: to, subject: "\(content.title) — \(period): \(counts)", text: text, html: html,
                           attachments: attachments, date: date)
    }
}
