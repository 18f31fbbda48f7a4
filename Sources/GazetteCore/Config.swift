import Foundation

/// Gazette's whole configuration, typed and validated once at start-up, then passed down.
public struct Config: Sendable, Equatable {
    public enum LogFormat: String, Sendable, CaseIterable { case text, json }
    public enum SummarizerKind: String, Sendable, CaseIterable { case extractive, llm }

    public var databaseURL: String = "sqlite:./data/gazette.sqlite"
    public var host: String = "127.0.0.1"
    public var port: Int = 8004
    /// Nil means the command's own default (worker 9101, bot 9102).
    public var metricsPort: Int?
    /// Seconds between fetch passes.
    public var interval: TimeInterval = 3600
    public var postTTLDays: Int = 7
    public var maxPages: Int = 5
    public var telegramPreviewBaseURL: URL = URL(string: "https://t.me")!
    public var telegramAPIBaseURL: URL = URL(string: "https://api.telegram.org")!
    public var botToken: Secret?
    public var apiToken: Secret?
    /// Tokens that belong to users (`GAZETTE_API_TOKENS_FILE`).
    public var apiTokensFile: String?
    public var llmURL: URL?
    public var llmModel: String = "gpt-4o-mini"
    public var llmAPIKey: Secret?
    public var summarizer: SummarizerKind = .extractive
    public var logFormat: LogFormat = .text
    public var logLevel: String = "info"
    public var allowPrivateSources: Bool = false
    public var botAllowedUsers: Set<Int64>?
    public var digestMaxChannels: Int = 10
    public var digestMaxPosts: Int = 100
    public var digestCacheTTL: TimeInterval = 3600
    public var digestTopStories: Int = 10
    public var llmTranslate: Bool = false
    public var hostConcurrency: Int = 2
    public var leaseDuration: TimeInterval = 300
    /// A 429 asking for at most this long a wait is retried in the same pass; longer waits are scheduled.
    public var maxRetryAfterWait: TimeInterval = 30
    public var otlpEndpoint: URL?
    public var dataDirectory: String = "./data"
    public var telegramAPIID: Int64?
    public var telegramAPIHash: Secret?
    /// Nil: `<data-dir>/account`.
    public var accountDirectoryOverride: String?
    public var tdlibPath: String?
    public var tdlibDatabaseKey: Secret?
    /// Pictures in digests unless a reader turned them off (issue 16).
    public var images: Bool = true
    public var imageMaxBytes: Int = 5 * 1024 * 1024
    public var imageTimeout: TimeInterval = 10
    public var imageCacheMaxBytes: Int64 = 200 * 1024 * 1024
    /// The summary cache (issue 28) keeps at most this many bytes of summaries; 0 turns it off.
    public var summaryCacheMaxBytes: Int64 = 64 * 1024 * 1024
    /// The digest by email (issue 18): nil URL means no email is sent.
    public var smtpURL: URL?
    public var smtpUser: String?
    public var smtpPassword: Secret?
    public var smtpFrom: String?
    /// Seconds before the first retry of a failed scheduled delivery (then doubling).
    public var deliveryRetryBase: TimeInterval = 60

    /// The user account's session directory.
    public var accountDirectory: String {
        accountDirectoryOverride ?? (dataDirectory.hasSuffix("/") ? dataDirectory + "account" : dataDirectory + "/account")
    }

    public init() {}

    /// Builds the configuration: flags first, then environment variables, then defaults.
    /// Throws `ConfigError` naming the first bad option.
    public static func load(flags: [ConfigOption: String] = [:], environment: [String: String]) throws(ConfigError) -> Config {
        var config = Config()
        var summarizerChosen = false
        for option in ConfigOption.allCases {
            guard let (raw, source) = lookup(option, flags: flags, environment: environment) else { continue }
            try config.apply(option, raw: raw, source: source)
            if option == .summarizer { summarizerChosen = true }
        }
        if !summarizerChosen, config.llmURL != nil { config.summarizer = .llm }
        if config.smtpURL != nil, config.smtpFrom == nil {
            throw ConfigError(option: .smtpFrom, source: "--smtp-from", value: nil, reason: "email needs a sender address with --smtp-url (GAZETTE_SMTP_FROM)")
        }
        if config.summarizer == .llm, config.llmURL == nil {
            throw ConfigError(option: .summarizer, source: "--summarizer", value: "llm", reason: "the llm summarizer needs --llm-url (LLM_URL)")
        }
        return config
    }

    private static func lookup(_ option: ConfigOption, flags: [ConfigOption: String], environment: [String: String]) -> (String, String)? {
        if let value = flags[option] { return (value, option.flag) }
        for name in option.environmentNames {
            if let value = environment[name], !value.isEmpty { return (value, name) }
        }
        return nil
    }

    private mutating func apply(_ option: ConfigOption, raw: String, source: String) throws(ConfigError) {
        let value = raw.trimmingCharacters(in: .whitespaces)
        func fail(_ reason: String) -> ConfigError {
            ConfigError(option: option, source: source, value: option.isSecret ? nil : value, reason: reason)
        }
        func int(_ range: ClosedRange<Int>) throws(ConfigError) -> Int {
            guard let n = Int(value), range.contains(n) else { throw fail("expected a whole number in \(range.lowerBound)…\(range.upperBound)") }
            return n
        }
        func url() throws(ConfigError) -> URL {
            guard let u = URL(string: value), let scheme = u.scheme?.lowercased(), ["http", "https"].contains(scheme), u.host != nil else {
                throw fail("expected an http(s) URL")
            }
            return u
        }
        func duration() throws(ConfigError) -> TimeInterval {
            guard let d = DurationParser.parse(value), d > 0 else { throw fail("expected a duration such as 30s, 15m, 1h or 1d") }
            return d
        }
        func secret() throws(ConfigError) -> Secret {
            guard !value.isEmpty else { throw fail("must not be empty") }
            return Secret(value)
        }
        switch option {
        case .database:
            guard value.hasPrefix("sqlite:") || value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") else {
                throw ConfigError(option: option, source: source, value: Secret.redactingPassword(inURL: value),
                                  reason: "expected sqlite:PATH or postgres://user:pass@host:port/db")
            }
            if value.hasPrefix("sqlite:"), value.dropFirst("sqlite:".count).isEmpty { throw fail("sqlite: needs a file path") }
            databaseURL = value
        case .host:
            guard !value.isEmpty, !value.contains(where: { $0.isWhitespace || $0 == "/" }) else { throw fail("expected an address such as 127.0.0.1") }
            host = value
        case .port: port = try int(1...65535)
        case .metricsPort: metricsPort = try int(1...65535)
        case .interval:
            // The earlier system's variable is a number of hours.
            if source == "POST_FETCH_INTERVAL_HOURS" {
                guard let hours = Double(value), hours > 0 else { throw fail("expected a number of hours") }
                interval = hours * 3600
            } else {
                interval = try duration()
            }
        case .postTTLDays: postTTLDays = try int(1...36500)
        case .maxPages: maxPages = try int(1...100)
        case .telegramPreviewBaseURL: telegramPreviewBaseURL = try url()
        case .telegramAPIBaseURL: telegramAPIBaseURL = try url()
        case .token:
            let s = try secret()
            guard s.value.range(of: #"^[0-9]+:[A-Za-z0-9_-]+$"#, options: .regularExpression) != nil else {
                throw fail("a bot token looks like 123456:ABC-DEF… (from @BotFather)")
            }
            botToken = s
        case .apiToken: apiToken = try secret()
        case .apiTokensFile:
            guard !value.isEmpty else { throw fail("must not be empty") }
            apiTokensFile = value
        case .llmURL: llmURL = try url()
        case .llmModel:
            guard !value.isEmpty else { throw fail("must not be empty") }
            llmModel = value
        case .llmAPIKey: llmAPIKey = try secret()
        case .summarizer:
            guard let kind = SummarizerKind(rawValue: value.lowercased()) else { throw fail("expected extractive or llm") }
            summarizer = kind
        case .logFormat:
            guard let format = LogFormat(rawValue: value.lowercased()) else { throw fail("expected text or json") }
            logFormat = format
        case .logLevel:
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(value.lowercased()) else { throw fail("expected one of \(levels.joined(separator: ", "))") }
            logLevel = value.lowercased()
        case .allowPrivateSources:
            guard let flag = Self.bool(value) else { throw fail("expected 1/0, true/false or yes/no") }
            allowPrivateSources = flag
        case .botAllowedUsers:
            let parts = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            var ids = Set<Int64>()
            for part in parts {
                guard let id = Int64(part), id > 0 else { throw fail("expected comma-separated Telegram user ids") }
                ids.insert(id)
            }
            botAllowedUsers = ids.isEmpty ? nil : ids
        case .digestMaxChannels: digestMaxChannels = try int(1...100)
        case .digestMaxPosts: digestMaxPosts = try int(1...1000)
        case .digestCacheTTL: digestCacheTTL = try duration()
        case .digestTopStories: digestTopStories = try int(0...100)
        case .llmTranslate:
            guard let flag = Self.bool(value) else { throw fail("expected 1/0, true/false or yes/no") }
            llmTranslate = flag
        case .hostConcurrency: hostConcurrency = try int(1...64)
        case .leaseDuration: leaseDuration = try duration()
        case .maxRetryWait:
            guard let d = DurationParser.parse(value), d >= 0, d <= 3600 else {
                throw fail("expected a duration from 0s to 1h such as 30s")
            }
            maxRetryAfterWait = d
        case .otlpEndpoint: otlpEndpoint = try url()
        case .dataDir:
            guard !value.isEmpty else { throw fail("must not be empty") }
            dataDirectory = value
        case .telegramAPIID:
            guard let id = Int64(value), (1...Int64(Int32.max)).contains(id) else { throw fail("expected the positive number my.telegram.org shows as api_id") }
            telegramAPIID = id
        case .telegramAPIHash:
            let s = try secret()
            guard s.value.count == 32, s.value.allSatisfy(\.isHexDigit) else { throw fail("expected the 32 hex digits my.telegram.org shows as api_hash") }
            telegramAPIHash = s
        case .accountDir:
            guard !value.isEmpty else { throw fail("must not be empty") }
            accountDirectoryOverride = value
        case .tdlibPath:
            guard !value.isEmpty else { throw fail("must not be empty") }
            tdlibPath = value
        case .tdlibDatabaseKey: tdlibDatabaseKey = try secret()
        case .images:
            guard let flag = Self.bool(value) else { throw fail("expected on or off") }
            images = flag
        case .imageMaxBytes: imageMaxBytes = try int(1024...(100 * 1024 * 1024))
        case .imageTimeout:
            let d = try duration()
            guard d <= 300 else { throw fail("expected at most 5m") }
            imageTimeout = d
        case .imageCacheMaxBytes: imageCacheMaxBytes = Int64(try int(0...(1 << 40)))
        case .summaryCacheMaxBytes: summaryCacheMaxBytes = Int64(try int(0...(1 << 40)))
        case .smtpURL:
            guard let u = URL(string: value), let scheme = u.scheme?.lowercased(), ["smtp", "smtps"].contains(scheme),
                  let host = u.host, !host.isEmpty, u.user == nil, u.password == nil else {
                // The value is not echoed: a URL with a password in it must not reach a log.
                throw ConfigError(option: option, source: source, value: nil,
                                  reason: "expected smtp://host:port or smtps://host:port (the user and password go in GAZETTE_SMTP_USER and GAZETTE_SMTP_PASSWORD)")
            }
            smtpURL = u
        case .smtpUser:
            guard !value.isEmpty, !value.contains(where: { $0.isNewline }) else { throw fail("must be one non-empty line") }
            smtpUser = value
        case .smtpPassword: smtpPassword = try secret()
        case .smtpFrom:
            do {
                smtpFrom = try EmailAddress.validate(value)
            } catch {
                throw fail(error.reason)
            }
        case .deliveryRetryBase:
            guard let d = DurationParser.parse(value), d >= 1, d <= 86400 else { throw fail("expected a duration from 1s to 1d such as 1m") }
            deliveryRetryBase = d
        }
    }

    static func bool(_ s: String) -> Bool? {
        switch s.lowercased() {
        case "1", "true", "yes", "on": true
        case "0", "false", "no", "off": false
        default: nil
        }
    }

    /// `127.0.0.1`, `::1`, `localhost` and the rest of 127/8.
    public var bindsLoopback: Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// One line per option with secrets redacted, for `--print-config` and start-up logs.
    public var redactedDescription: String {
        var lines = [
            "database: \(Secret.redactingPassword(inURL: databaseURL))",
            "host: \(host)", "port: \(port)",
            "metrics-port: \(metricsPort.map(String.init) ?? "(command default)")",
            "interval: \(DurationParser.format(interval))",
            "post-ttl-days: \(postTTLDays)", "max-pages: \(maxPages)",
            "telegram-preview-base-url: \(telegramPreviewBaseURL.absoluteString)",
            "telegram-api-base-url: \(telegramAPIBaseURL.absoluteString)",
            "token: \(botToken == nil ? "(unset)" : Secret.mask)",
            "api-token: \(apiToken == nil ? "(unset)" : Secret.mask)",
            "api-tokens-file: \(apiTokensFile ?? "(unset)")",
            "llm-url: \(llmURL?.absoluteString ?? "(unset)")", "llm-model: \(llmModel)",
            "llm-api-key: \(llmAPIKey == nil ? "(unset)" : Secret.mask)",
            "summarizer: \(summarizer.rawValue)",
            "log-format: \(logFormat.rawValue)", "log-level: \(logLevel)",
            "allow-private-sources: \(allowPrivateSources)",
        ]
        lines.append("bot-allowed-users: \(botAllowedUsers.map { $0.sorted().map(String.init).joined(separator: ",") } ?? "(everyone)")")
        lines += [
            "digest-max-channels: \(digestMaxChannels)", "digest-max-posts: \(digestMaxPosts)",
            "digest-cache-ttl: \(DurationParser.format(digestCacheTTL))",
            "digest-top-stories: \(digestTopStories)", "llm-translate: \(llmTranslate)",
            "host-concurrency: \(hostConcurrency)", "lease-duration: \(DurationParser.format(leaseDuration))",
            "max-retry-wait: \(DurationParser.format(maxRetryAfterWait))",
            "otlp-endpoint: \(otlpEndpoint?.absoluteString ?? "(unset)")",
            "data-dir: \(dataDirectory)",
            "telegram-api-id: \(telegramAPIID.map(String.init) ?? "(unset)")",
            "telegram-api-hash: \(telegramAPIHash == nil ? "(unset)" : Secret.mask)",
            "account-dir: \(accountDirectory)",
            "tdlib-path: \(tdlibPath ?? "(default)")",
            "tdlib-database-key: \(tdlibDatabaseKey == nil ? "(generated)" : Secret.mask)",
            "images: \(images ? "on" : "off")", "image-max-bytes: \(imageMaxBytes)",
            "image-timeout: \(DurationParser.format(imageTimeout))", "image-cache-max-bytes: \(imageCacheMaxBytes)",
            "summary-cache-max-bytes: \(summaryCacheMaxBytes)",
            "smtp-url: \(smtpURL?.absoluteString ?? "(unset)")",
            "smtp-user: \(smtpUser ?? "(unset)")",
            "smtp-password: \(smtpPassword == nil ? "(unset)" : Secret.mask)",
            "smtp-from: \(smtpFrom ?? "(unset)")",
            "delivery-retry-base: \(DurationParser.format(deliveryRetryBase))",
        ]
        return lines.joined(separator: "\n")
    }
}

/// A configuration value that is wrong. The message names the option and where it came from; secret values are never shown.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let option: ConfigOption
    public let source: String
    public let value: String?
    public let reason: String

    public var description: String {
        let shown = value.map { " '\($0.count > 80 ? String($0.prefix(77)) + "…" : $0)'" } ?? ""
        let alias = source == option.flag ? option.flag : "\(source) (\(option.flag))"
        return "invalid \(alias)\(shown): \(reason)"
    }
}

/// A secret string: its description is always redacted, so it cannot leak through interpolation.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public static let mask = "***"
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { Self.mask }
    public var debugDescription: String { Self.mask }

    /// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
    public static func redactingPassword(inURL url: String) -> String {
        guard let schemeEnd = url.range(of: "://"), let at = url[schemeEnd.upperBound...].lastIndex(of: "@") else { return url }
        let userInfo = url[schemeEnd.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":" + mask + String(url[at...])
    }
}

/// Durations written as `90`, `30s`, `15m`, `1h`, `2d` (a bare number is seconds).
public enum DurationParser {
    public static func parse(_ text: String) -> TimeInterval? {
        let s = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let last = s.last else { return nil }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let unit = units[last] {
            return Double(s.dropLast()).flatMap { $0.isFinite ? $0 * unit : nil }
        }
        return Double(s).flatMap { $0.isFinite ? $0 : nil }
    }

    public static func format(_ seconds: TimeInterval) -> String {
        if seconds >= 86400, seconds.truncatingRemainder(dividingBy: 86400) == 0 { return "\(Int(seconds / 86400))d" }
        if seconds >= 3600, seconds.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(seconds / 3600))h" }
        if seconds >= 60, seconds.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(seconds / 60))m" }
        return "\(Int(seconds))s"
    }
}
