import Foundation
import GazetteCore
import Logging
import GazetteMetrics

/// Everything `gazette digest` needs, built from the configuration, so the command itself only parses arguments.
public struct DigestRunner: Sendable {
    public let config: Config
    public let renderer: MeteredRenderer
    public let summarizer: any Summarizer
    public let version: String?

    /// `registry` receives the `pdf_*` and `llm_*` metrics of this process.
    public init(config: Config, registry: MetricRegistry = MetricRegistry(), version: String? = nil,
                logger: Logger = Logger(label: "gazette.digest")) {
        self.config = config
        self.renderer = MeteredRenderer(metrics: PDFMetrics(registry: registry))
        self.summarizer = config.makeSummarizer(metrics: LLMMetrics(registry: registry), logger: logger)
        self.version = version
    }

    /// Parses `--format`; the error names the option and the accepted values.
    public static func format(_ raw: String) throws(DigestError) -> DigestOutputFormat {
        guard let format = DigestOutputFormat(rawValue: raw.lowercased()) else {
            throw .invalidArgument(name: "--format", reason: "expected pdf, markdown or text, got '\(raw.prefix(40))'")
        }
        return format
    }

    /// `gazette digest --demo`: the shipped sample posts; no database, no network.
    public func demo(format: DigestOutputFormat, byChannel: Bool = false, now: Date = Date()) async throws(DigestError) -> DigestExport {
        var options = DigestOptions(config: config, version: version)
        options.byChannel = byChannel
        return try await DigestExport.demo(format: format, summarizer: summarizer, renderer: renderer, now: now, version: version,
                                           options: options)
    }

    /// `gazette digest --user ID`: one digest of the user's subscriptions from the store.
    /// `byChannel` gives the earlier layout (one section per channel, no stories).
    public func digest(store: any DigestStore, userID: Int64, hours: Int, format: DigestOutputFormat, byChannel: Bool = false,
                       now: Date = Date()) async throws(DigestError) -> DigestExport {
        guard userID > 0 else { throw .invalidArgument(name: "--user", reason: "expected a positive Telegram user id") }
        var options = DigestOptions(config: config, version: version)
        options.byChannel = byChannel
        let service = DigestService(store: store, summarizer: summarizer, renderer: renderer, options: options)
        return try await DigestExport.forUser(service, userID: userID, hours: hours, format: format, now: now)
    }
}
