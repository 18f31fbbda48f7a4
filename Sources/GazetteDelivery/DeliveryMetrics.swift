import GazetteCore
import GazetteMetrics

/// Every metric of scheduled delivery, built once from the process's registry (docs/METRICS.md). All label values
/// come from fixed enums and exist (at 0) from the first scrape.
public struct DeliveryMetrics: Sendable {
    public enum Outcome: String, Sendable, CaseIterable {
        /// Handed to the destination (Telegram accepted it, the SMTP server accepted it, the archive stored it).
        case sent
        /// The attempt failed; it is retried with backoff (at most `maxAttempts` a day).
        case failed
        /// Chosen but not possible in this process: no chat with the bot, no address, SMTP or the bot not configured.
        case skipped
    }

    private let deliveries: [DigestDestination: [Outcome: Counter]]
    public let emailSendDuration: Histogram
    public let emailSize: Histogram

    public init(registry: MetricRegistry) {
        var deliveries: [DigestDestination: [Outcome: Counter]] = [:]
        for destination in DigestDestination.allCases {
            for outcome in Outcome.allCases {
                deliveries[destination, default: [:]][outcome] = registry.makeCounter(
                    name: "digest_deliveries_total", labels: [("destination", destination.rawValue), ("outcome", outcome.rawValue)],
                    help: "Scheduled daily digest deliveries by destination (telegram, email, feed) and outcome (sent, failed, skipped).")
            }
        }
        self.deliveries = deliveries
        emailSendDuration = registry.makeHistogram(
            name: "digest_email_send_duration_seconds", buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
            help: "Time to hand one digest email to the SMTP server (successful or not).")
        emailSize = registry.makeHistogram(
            name: "digest_email_size_bytes", buckets: [16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216],
            help: "Size of digest emails as sent (MIME, with the PDF attached).")
    }

    public func record(_ destination: DigestDestination, _ outcome: Outcome) {
        deliveries[destination]?[outcome]?.increment()
    }
}
