import Foundation
import GazetteCore
import GazettePDF

/// One scheduled digest made once for every destination it goes to (issue 18): the markdown (email body, feed,
/// web reader), the PDF (Telegram, email attachment), the chat messages (Telegram's text format and the fallback
/// when the PDF cannot be made) and the stories it delivers (the "not twice" rule).
public struct PreparedDigest: Sendable {
    /// The markdown, title, window and counts (what the feed keeps in the digest archive).
    public var content: DigestContent
    /// Nil when the PDF could not be rendered (`pdfFailure` says why); the text still goes out.
    public var pdf: DigestPDF?
    public var pdfFailure: String?
    /// The digest as chat messages of at most 4096 characters.
    public var messages: [String]
    /// The whole digest as plain text (the email's text part).
    public var plainText: String
    public var records: [DeliveredStory]

    public init(content: DigestContent, pdf: DigestPDF?, pdfFailure: String? = nil, messages: [String], plainText: String,
                records: [DeliveredStory]) {
        self.content = content
        self.pdf = pdf
        self.pdfFailure = pdfFailure
        self.messages = messages
        self.plainText = plainText
        self.records = records
    }
}

/// What the scheduler gets when it asks for the day's digest.
public enum DigestPreparation: Sendable {
    /// No posts in the window.
    case empty
    /// Every story was delivered before and nothing new arrived.
    case nothingNew
    case ready(PreparedDigest)
}

extension DigestService {
    /// The digest built once (stories sent before left out), then rendered: what every destination of a scheduled
    /// delivery is made from. A failed render leaves `pdf` nil instead of failing the delivery.
    public func prepareDelivery(userID: Int64, hours: Int, now: Date) async throws(DigestError) -> DigestPreparation {
        guard try await hasPosts(userID: userID, hours: hours, now: now) else { return .empty }
        let result = try await digest(userID: userID, hours: hours, now: now, notTwice: true)
        if result.nothingNew { return .nothingNew }
        if result.posts == 0 { return .empty }
        let plain = TextDigest.render(result, style: .plain)
        var pdf: DigestPDF?
        var failure: String?
        do throws(PDFError) {
            // With its pictures, through the one PDF function every surface uses.
            let rendered = try await renderPDF(markdown: result.markdown, info: Self.info(result.metadata),
                                               pictureDates: result.pictureDates, now: now)
            pdf = DigestPDF(data: rendered.data, pages: rendered.pages, channels: result.channels, posts: result.posts, cacheHit: false)
        } catch {
            failure = error.description
        }
        return .ready(PreparedDigest(
            content: DigestContent(result), pdf: pdf, pdfFailure: failure,
            messages: TextSplitter.split(plain, limit: TextSplitter.telegramLimit), plainText: plain, records: result.deliveryRecords))
    }
}
