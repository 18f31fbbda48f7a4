import Foundation
import GazetteAccount
import GazetteBot
import GazetteCore
import GazetteDelivery
import GazetteDigest
import GazetteMCP
import GazetteObservability
import GazetteSources
import GazetteWorker
import Logging

/// Gazette's configuration: the settings of each module, filled from `OptionTable` (flags, then environment variables,
/// then the entries' defaults) and validated once at start-up. Only GazetteApp sees it whole; each module gets its own
/// part (`worker`, `sources`, …), and GazetteApp works out what one module's settings take from another's.
public struct Configuration: Sendable {
    public var databaseURL = ""
    public var server = HTTPServerOptions()
    /// Nil: the command's own default (worker 9101, bot 9102).
    public var metricsPort: Int?
    public var worker = WorkerSettings()
    public var sources = SourceSettings()
    public var images = ImageSettings()
    public var bot = BotSettings()
    public var summarizer = SummarizerSettings()
    public var digest = DigestOptions()
    public var log = LogSettings()
    public var tracing = TracingSettings()
    public var account = AccountSettings()
    public var delivery = DeliveryOptions()

    /// Every option at its default.
    public init() {
        for option in OptionTable.all { option.applyDefault(&self) }
    }

    /// Builds the configuration: flags first (by option key), then environment variables, then defaults. Throws the
    /// first bad option, named with where its value came from.
    public static func load(flags: [String: String] = [:], environment: [String: String]) throws(ConfigError) -> Configuration {
        var configuration = Configuration()
        for option in OptionTable.all {
            if let raw = flags[option.key] {
                try option.applyValue(raw, option.flag, &configuration)
                continue
            }
            if let name = option.environment.first(where: { !(environment[$0] ?? "").isEmpty }), let raw = environment[name] {
                try option.applyValue(raw, name, &configuration)
            }
        }
        try configuration.checkCombinations()
        return configuration
    }

    /// The rules that span options.
    private mutating func checkCombinations() throws(ConfigError) {
        if summarizer.kind == nil { summarizer.kind = summarizer.llmURL != nil ? .llm : .extractive }
        if summarizer.kind == .llm, summarizer.llmURL == nil {
            throw ConfigError(flag: "--summarizer", source: "--summarizer", value: "llm", reason: "the llm summarizer needs --llm-url (LLM_URL)")
        }
        if delivery.smtpURL != nil, delivery.smtpFrom == nil {
            throw ConfigError(flag: "--smtp-from", source: "--smtp-from", value: nil,
                              reason: "email needs a sender address with --smtp-url (GAZETTE_SMTP_FROM)")
        }
    }

    /// One line per option, `key: value`, secrets as `***`: what `gazette config` prints.
    public var redactedDescription: String {
        OptionTable.all.map { "\($0.key): \($0.describeValue(self))" }.joined(separator: "\n")
    }

    /// Every secret value set, for the log redactor.
    public var secrets: [String] {
        var values = OptionTable.all.compactMap { $0.secretValue(self) }
        if let password = URLComponents(string: databaseURL)?.password, !password.isEmpty {
            values.append(password.removingPercentEncoding ?? password)
        }
        return values
    }
}

extension Configuration {
    /// Bootstraps this process's logging (once; later calls only make a logger) and returns a logger for `label`: the
    /// configured format and level, every secret of the configuration redacted from every line.
    public func bootstrapLogging(label: String) -> Logger {
        LogSetup.bootstrap(log, secrets: secrets, label: label)
    }
}
