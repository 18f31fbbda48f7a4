import Foundation
import GazetteBot
import GazetteCore
import GazetteDelivery
import GazetteDigest
import GazetteMetrics
import GazetteWeb
import Logging

/// The destinations of the daily digest a process can reach, added to its scheduler: Telegram when the bot runs (the
/// bot's own scheduler already has it, with the feed), email when SMTP is configured, the feed (the digest archive)
/// always. The bot never sees email.
enum DeliveryParts {
    /// The bot's scheduler with the other destinations added, or — without a bot — a scheduler of its own for email
    /// and the feed.
    static func scheduler(_ options: DeliveryOptions, store: any GazetteStore, digests: any DigestDelivering, bot: BotRuntime?,
                          registry: MetricRegistry, logger: Logger, clock: any GazetteClock = SystemClock()) -> DigestDeliveryScheduler {
        var scheduler = bot?.scheduler ?? DigestDeliveryScheduler(
            store: store, digests: digests, senders: [], metrics: DeliveryMetrics(registry: registry), clock: clock,
            logger: logger, owner: DigestDeliveryScheduler.defaultOwner())
        if !scheduler.senders.contains(where: { $0.destination == .feed }) {
            scheduler.senders.append(FeedDigestSender(archive: store, clock: clock))
        }
        if let smtp = options.smtp {
            let html = emailHTML(logger: logger)
            scheduler.senders.append(EmailDigestSender(transport: SMTPMailer(settings: smtp), from: smtp.from, html: html,
                                                       metrics: scheduler.metrics, clock: clock))
        }
        scheduler.retryBase = options.retryBase
        return scheduler
    }

    /// The email's HTML body: the digest's markdown through the web reader's renderer (cmark-gfm, raw HTML off) and its
    /// email template (inline CSS, light and dark) — the same digest as the PDF and the web page. Pictures become their
    /// alt text: a mail client loads nothing remote.
    static func emailHTML(logger: Logger) -> EmailDigestSender.HTMLBody {
        let templates: WebTemplates?
        do {
            templates = try WebTemplates()
        } catch {
            logger.error("the email template cannot be loaded; emails carry the plain text as HTML", metadata: ["error": "\(error)"])
            templates = nil
        }
        return { digest in
            guard let templates else { throw WebError.rendering("no email template") }
            let fragment = try DigestHTML.fragment(markdown: digest.content.markdown)
            return try templates.emailHTML(title: digest.content.title, fragment: fragment,
                                           footer: "\(digest.content.channels) channels, \(digest.content.posts) posts — the PDF is attached.")
        }
    }
}
