import Foundation
import GazetteCore
import Logging
import OTel
import Synchronization

/// How a process logs: `--log-format`, `--log-level`.
public struct LogSettings: Sendable {
    public enum Format: String, Sendable, CaseIterable { case text, json }

    public var format = Format.text
    public var level = Logger.Level.info

    public init() {}
}

/// Process-wide logging: text or JSON lines on standard error, with every configured secret redacted.
public enum LogSetup {
    private static let bootstrapped = Mutex(false)

    /// Bootstraps swift-log once per process (later calls only return a logger) and returns a logger for `label`.
    /// Lines written inside a span carry its `trace_id` and `span_id`. `secrets` (every secret the configuration
    /// holds) never appear in a line.
    @discardableResult
    public static func bootstrap(_ settings: LogSettings, secrets: [String], label: String) -> Logger {
        let level = settings.level
        let format = settings.format
        let first = bootstrapped.withLock { done in
            defer { done = true }
            return !done
        }
        if first {
            LoggingSystem.bootstrap({ label, provider in
                var handler = GazetteLogHandler(label: label, format: format, level: level, redactor: Redactor(secrets: secrets))
                handler.metadataProvider = provider
                return handler
            }, metadataProvider: OTel.makeLoggingMetadataProvider())
        }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }

}

/// Replaces secret values anywhere in a log line, and Telegram bot tokens even when not configured here.
public struct Redactor: Sendable {
    let secrets: [String]

    public init(secrets: [String]) {
        // Longest first, so a secret containing another is replaced whole.
        self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    public func redact(_ text: String) -> String {
        var out = text
        for secret in secrets where out.contains(secret) {
            out = out.replacingOccurrences(of: secret, with: Secret.mask)
        }
        // `bot<digits>:<token>` in Bot API URLs.
        if out.contains("bot"), let regex = try? Regex(#"bot[0-9]{3,}:[A-Za-z0-9_-]{20,}"#) {
            out = out.replacing(regex, with: "bot" + Secret.mask)
        }
        return out
    }
}

/// A log handler writing one line per event to standard error.
public struct GazetteLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    /// Metadata of the current context (the trace and span ids of the current span).
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    let label: String
    let format: LogSettings.Format
    let redactor: Redactor

    public init(label: String, format: LogSettings.Format, level: Logger.Level, redactor: Redactor) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.redactor = redactor
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let line = format == .json
            ? jsonLine(level: event.level, message: event.message.description, metadata: merged, source: event.source)
            : textLine(level: event.level, message: event.message.description, metadata: merged)
        FileHandle.standardError.write(Data((redactor.redact(line) + "\n").utf8))
    }

    private static func timestamp() -> String {
        Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
    }

    private func textLine(level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        let meta = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        return "\(Self.timestamp()) \(level.rawValue.uppercased()) \(label): \(message)\(meta.isEmpty ? "" : " " + meta)"
    }

    private func jsonLine(level: Logger.Level, message: String, metadata: Logger.Metadata, source: String) -> String {
        var object: [String: String] = ["ts": Self.timestamp(), "level": level.rawValue, "logger": label, "msg": message]
        for (key, value) in metadata where object[key] == nil { object[key] = value.description }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(object), let text = String(data: data, encoding: .utf8) else {
            return #"{"level":"error","msg":"unencodable log line"}"#
        }
        return text
    }
}
