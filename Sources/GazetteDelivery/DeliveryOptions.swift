import Foundation
import GazetteCore

/// How the daily digest is delivered: email over SMTP (`--smtp-url`, `--smtp-user`, `--smtp-password`, `--smtp-from`)
/// and the retries of a failed destination (`--delivery-retry-base`).
public struct DeliveryOptions: Sendable {
    public var smtpURL: URL?
    public var smtpUser: String?
    public var smtpPassword: Secret?
    public var smtpFrom: String?
    /// Seconds before the first retry of a failed destination; doubles each retry.
    public var retryBase: TimeInterval = 60

    public init() {}

    /// The mail server when both a server and a sender are set; nil: no email is sent.
    public var smtp: SMTPSettings? {
        guard let smtpURL, let smtpFrom else { return nil }
        return SMTPSettings(url: smtpURL, username: smtpUser, password: smtpPassword, from: smtpFrom)
    }
}
