import ArgumentParser
import Foundation
import GazetteCore
import GazetteRenderCLI

/// Options every command that touches the database understands.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(ConfigOption.database.help, valueName: "url"))
    var database: String?

    @Flag(name: .long, help: "Do not apply database migrations at start-up.")
    var noMigrate = false

    func apply(to flags: inout [ConfigOption: String]) {
        flags[.database] = database
    }
}

/// Logging options.
struct LogOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(ConfigOption.logFormat.help, valueName: "text|json"))
    var logFormat: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.logLevel.help, valueName: "level"))
    var logLevel: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.otlpEndpoint.help, valueName: "url"))
    var otlpEndpoint: String?

    func apply(to flags: inout [ConfigOption: String]) {
        flags[.logFormat] = logFormat
        flags[.logLevel] = logLevel
        flags[.otlpEndpoint] = otlpEndpoint
    }
}

/// Options of the HTTP server.
struct ServerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(ConfigOption.host.help, valueName: "address"))
    var host: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.port.help, valueName: "port"))
    var port: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.apiToken.help, valueName: "token"))
    var apiToken: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.apiTokensFile.help, valueName: "path"))
    var apiTokensFile: String?

    @Flag(name: .long, help: "Allow binding a non-loopback address without GAZETTE_API_TOKEN.")
    var insecureNoAuth = false

    func apply(to flags: inout [ConfigOption: String]) {
        flags[.host] = host
        flags[.port] = port
        flags[.apiToken] = apiToken
        flags[.apiTokensFile] = apiTokensFile
    }
}

/// The port of `/metrics` and `/health` of the worker and the bot.
struct MetricsOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(ConfigOption.metricsPort.help, valueName: "port"))
    var metricsPort: String?

    func apply(to flags: inout [ConfigOption: String]) {
        flags[.metricsPort] = metricsPort
    }
}

/// Options of fetching.
struct FetchOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(ConfigOption.interval.help, valueName: "duration"))
    var interval: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.telegramPreviewBaseURL.help, valueName: "url"))
    var telegramPreviewBaseUrl: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.maxPages.help, valueName: "n"))
    var maxPages: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.postTTLDays.help, valueName: "days"))
    var postTtlDays: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.hostConcurrency.help, valueName: "n"))
    var hostConcurrency: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.leaseDuration.help, valueName: "duration"))
    var leaseDuration: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.maxRetryWait.help, valueName: "duration"))
    var maxRetryWait: String?

    @Flag(name: .long, help: ArgumentHelp(ConfigOption.allowPrivateSources.help))
    var allowPrivateSources = false

    func apply(to flags: inout [ConfigOption: String]) {
        flags[.interval] = interval
        flags[.telegramPreviewBaseURL] = telegramPreviewBaseUrl
        flags[.maxPages] = maxPages
        flags[.postTTLDays] = postTtlDays
        flags[.hostConcurrency] = hostConcurrency
        flags[.leaseDuration] = leaseDuration
        flags[.maxRetryWait] = maxRetryWait
        // A flag can only turn it on; without it the environment (or the default, off) decides.
        if allowPrivateSources { flags[.allowPrivateSources] = "true" }
    }
}

/// Options of the Telegram bot.
struct BotOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(ConfigOption.token.help, valueName: "token"))
    var token: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.telegramAPIBaseURL.help, valueName: "url"))
    var telegramApiBaseUrl: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.botAllowedUsers.help, valueName: "ids"))
    var botAllowedUsers: String?

    func apply(to flags: inout [ConfigOption: String]) {
        flags[.token] = token
        flags[.telegramAPIBaseURL] = telegramApiBaseUrl
        flags[.botAllowedUsers] = botAllowedUsers
    }
}

/// Options of summarizing and of the digests built from the summaries.
struct SummarizerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(ConfigOption.summarizer.help, valueName: "extractive|llm"))
    var summarizer: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.llmURL.help, valueName: "url"))
    var llmUrl: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.llmModel.help, valueName: "model"))
    var llmModel: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.llmAPIKey.help, valueName: "key"))
    var llmApiKey: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.digestMaxChannels.help, valueName: "n"))
    var digestMaxChannels: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.digestMaxPosts.help, valueName: "n"))
    var digestMaxPosts: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.digestCacheTTL.help, valueName: "duration"))
    var digestCacheTtl: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.digestTopStories.help, valueName: "n"))
    var digestTopStories: String?

    @Flag(name: .long, help: ArgumentHelp(ConfigOption.llmTranslate.help))
    var llmTranslate = false

    @Option(name: .long, help: ArgumentHelp(ConfigOption.images.help, valueName: "on|off"))
    var images: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.imageMaxBytes.help, valueName: "bytes"))
    var imageMaxBytes: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.imageTimeout.help, valueName: "duration"))
    var imageTimeout: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.imageCacheMaxBytes.help, valueName: "bytes"))
    var imageCacheMaxBytes: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.summaryCacheMaxBytes.help, valueName: "bytes"))
    var summaryCacheMaxBytes: String?

    func apply(to flags: inout [ConfigOption: String]) {
        flags[.summarizer] = summarizer
        flags[.llmURL] = llmUrl
        flags[.llmModel] = llmModel
        flags[.llmAPIKey] = llmApiKey
        flags[.digestMaxChannels] = digestMaxChannels
        flags[.digestMaxPosts] = digestMaxPosts
        flags[.digestCacheTTL] = digestCacheTtl
        flags[.digestTopStories] = digestTopStories
        if llmTranslate { flags[.llmTranslate] = "true" }
        flags[.images] = images
        flags[.imageMaxBytes] = imageMaxBytes
        flags[.imageTimeout] = imageTimeout
        flags[.imageCacheMaxBytes] = imageCacheMaxBytes
        flags[.summaryCacheMaxBytes] = summaryCacheMaxBytes
    }
}

/// Builds the validated configuration from the flags a command collected and the process environment.
/// An invalid value ends the process with one line naming the option (exit 64).
func loadConfig(_ collect: (inout [ConfigOption: String]) -> Void) throws -> Config {
    var flags: [ConfigOption: String] = [:]
    collect(&flags)
    do {
        return try Config.load(flags: flags, environment: ProcessInfo.processInfo.environment)
    } catch {
        printError("error: \(error)")
        throw ExitCode(64)
    }
}

/// One line to standard error, written as `gazette-render` writes it.
func printError(_ message: String) {
    RenderJob.printError(message)
}

/// Prints and flushes standard output at once: when stdout is a pipe (docker logs, journald) `print` would keep the
/// text in a buffer until it fills or the process exits.
func printNow(_ text: String) {
    print(text)
    fflush(nil)  // all output streams; `stdout` itself is a C global Swift 6 will not touch
}

/// Options of the Telegram user account (TDLib).
struct AccountOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(ConfigOption.telegramAPIID.help, valueName: "id"))
    var telegramApiId: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.telegramAPIHash.help, valueName: "hash"))
    var telegramApiHash: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.dataDir.help, valueName: "dir"))
    var dataDir: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.accountDir.help, valueName: "dir"))
    var accountDir: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.tdlibPath.help, valueName: "path"))
    var tdlibPath: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.tdlibDatabaseKey.help, valueName: "key"))
    var tdlibDatabaseKey: String?

    func apply(to flags: inout [ConfigOption: String]) {
        flags[.telegramAPIID] = telegramApiId
        flags[.telegramAPIHash] = telegramApiHash
        flags[.dataDir] = dataDir
        flags[.accountDir] = accountDir
        flags[.tdlibPath] = tdlibPath
        flags[.tdlibDatabaseKey] = tdlibDatabaseKey
    }
}

/// Options of the daily digest's delivery: email over SMTP and retries (issue 18).
struct DeliveryOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(ConfigOption.smtpURL.help, valueName: "url"))
    var smtpUrl: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.smtpUser.help, valueName: "user"))
    var smtpUser: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.smtpPassword.help, valueName: "password"))
    var smtpPassword: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.smtpFrom.help, valueName: "address"))
    var smtpFrom: String?

    @Option(name: .long, help: ArgumentHelp(ConfigOption.deliveryRetryBase.help, valueName: "duration"))
    var deliveryRetryBase: String?

    func apply(to flags: inout [ConfigOption: String]) {
        flags[.smtpURL] = smtpUrl
        flags[.smtpUser] = smtpUser
        flags[.smtpPassword] = smtpPassword
        flags[.smtpFrom] = smtpFrom
        flags[.deliveryRetryBase] = deliveryRetryBase
    }
}
