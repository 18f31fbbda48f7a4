import Foundation
import GazetteAccount
import GazetteCore
import GazetteDigest
import GazetteMCP
import GazetteMetrics
import GazetteSources
import GazetteStorage
import Logging

/// The production parts every process and command is built from, each made here and nowhere else, from the
/// configuration (each part gets its module's own settings, and here is where one module's settings take a value from
/// another's): the store, the sources (with their one HTTP client and `source_requests_total`), the pictures
/// (`image_*`), the digest pipeline (configured summarizer with `llm_*`, metered renderer with `pdf_*`, `summary_cache_*`), the user
/// account and the tool registry (`mcp_*`). Metrics go to the registry passed in: the one a process serves on
/// `/metrics`, or a command's own. A process makes only the parts it runs, so it shows only the metrics of its own
/// work (a worker has no `pdf_*`).
enum ProcessParts {
    /// The store of a long-running process, not yet connected (`DatabaseStartup` brings it up, retrying).
    static func store(_ config: Configuration, observer: (any StoreObserver)?, logger: Logger) throws -> any GazetteStore {
        try StoreFactory.make(databaseURL: config.databaseURL, observer: observer, logger: logger)
    }

    /// The store, migrated (or with `migrate: false` only checked): for a command, which needs the database at once.
    static func openStore(_ config: Configuration, migrate: Bool, observer: (any StoreObserver)? = nil,
                          logger: Logger) async throws -> any GazetteStore {
        try await StoreFactory.open(databaseURL: config.databaseURL, migrate: migrate, observer: observer, logger: logger)
    }

    static func sources(_ config: Configuration, registry: MetricRegistry, logger: Logger) -> Sources {
        Sources(settings: config.sources, metrics: SourceMetrics(registry: registry), logger: logger)
    }

    static func digest(_ config: Configuration, store: any DigestStore, images: ImageLoader?, registry: MetricRegistry,
                       logger: Logger, byChannel: Bool = false) -> DigestService {
        DigestService(store: store, summarizer: summarizer(config, registry: registry, logger: logger), renderer: renderer(registry: registry),
                      options: digestOptions(config, byChannel: byChannel), images: images,
                      summaryMetrics: SummaryCacheMetrics(registry: registry), logger: logger)
    }

    static func digestOptions(_ config: Configuration, byChannel: Bool = false) -> DigestOptions {
        var options = config.digest
        options.version = GazetteVersion.current
        // A picture is kept as long as the newest post showing it.
        options.retention = config.worker.postTTL
        options.byChannel = byChannel
        return options
    }

    static func summarizer(_ config: Configuration, registry: MetricRegistry, logger: Logger) -> any Summarizer {
        config.summarizer.makeSummarizer(metrics: LLMMetrics(registry: registry), logger: logger)
    }

    static func renderer(registry: MetricRegistry) -> MeteredRenderer {
        MeteredRenderer(metrics: PDFMetrics(registry: registry))
    }

    /// The pictures of the process's PDFs: fetched on demand with their own HTTP client (`image_*` metrics), kept in
    /// `cache` (the store's image cache; nil: fetched every time, as `gazette render --remote-images` does); the user
    /// account's pictures are asked of the process that owns the account, through the same store. Close it with
    /// `shutdown()`.
    static func images(_ config: Configuration, cache: (any AccountPictureRequests.Store)?, registry: MetricRegistry,
                       logger: Logger) -> ImageLoader {
        ImageLoader(fetcher: ImageFetcher(settings: imageSettings(config), logger: logger), cache: cache,
                    metrics: ImageMetrics(registry: registry), logger: logger, verify: DigestPictures.rendererCheck,
                    accountPictures: cache.map { AccountPictureRequests(store: $0) })
    }

    /// The pictures' limits, fetched or read through the user account. Pictures follow the sources' per-host limit and
    /// address policy.
    static func imageSettings(_ config: Configuration) -> ImageSettings {
        var settings = config.images
        settings.hostConcurrency = config.sources.http.hostConcurrency
        settings.allowPrivate = config.sources.http.allowPrivateSources
        return settings
    }

    /// The Telegram user account of a process that reads channels (`worker`, `run`, `fetch`), when
    /// `--telegram-api-id`/`--telegram-api-hash` are set and TDLib loads; otherwise nil and why (logged as one line by
    /// the long-running processes; the account's channels then wait for login).
    static func account(_ config: Configuration, store: any AccountService.Store, owner: String, library: AccountLibrary,
                        registry: MetricRegistry, logger: Logger,
                        onSaved: @escaping @Sendable (String, Int) -> Void) -> Result<AccountService, AccountUnavailable> {
        guard config.account.isConfigured else { return .failure(.notConfigured) }
        let settings: AccountSettings
        do throws(AccountError) {
            settings = try accountSettings(config)
            try library.load(settings.libraryPath)
        } catch {
            return .failure(.failed(error))
        }
        let service = AccountService(
            settings: settings, store: store, owner: owner, leaseDuration: config.worker.leaseDuration,
            makeTransport: library.makeTransport, metrics: AccountMetrics(registry: registry), logger: logger,
            dedupWindow: 86_400, onSaved: onSaved,
            pictures: AccountPictureSettings(limits: imageSettings(config), verify: DigestPictures.rendererCheck))
        return .success(service)
    }

    /// The account's settings with both credentials checked: a missing one is named as its option.
    static func accountSettings(_ config: Configuration) throws(AccountError) -> AccountSettings {
        for (key, missing) in [("telegram-api-id", config.account.apiID == nil), ("telegram-api-hash", config.account.apiHash == nil)] where missing {
            let option = OptionTable.option(key)
            throw .missingOption(flag: option.flag, environment: option.environment[0])
        }
        var settings = config.account
        settings.applicationVersion = GazetteVersion.current
        return settings
    }

    /// The MCP tools over the process's store, sources and digest pipeline.
    static func tools(_ config: Configuration, store: any GazetteStore, sources: Sources, digest: DigestService,
                      registry: MetricRegistry) -> ToolRegistry {
        let context = ToolContext(store: store, fetcher: SourcesFetcher(sources: sources, maxPages: config.sources.maxPages), digest: digest,
                                  windowLimits: WindowLimits(maxChannels: config.digest.maxChannels,
                                                             maxPostsPerChannel: config.digest.maxPostsPerChannel),
                                  allowPrivateSources: config.sources.http.allowPrivateSources)
        return ToolRegistry(context: context, metrics: MCPMetrics(registry: registry, toolNames: GazetteTools.all.map(\.name)))
    }

    /// This process's name in leases (channels, the account, deliveries): what a refusal shows when another process holds
    /// one, e.g. `gazette worker (pid 4242 on news-1, 9f3a0c1e)`; the random part tells apart processes with the same
    /// pid on different machines.
    static func owner(_ command: String) -> String {
        let info = ProcessInfo.processInfo
        return "gazette \(command) (pid \(info.processIdentifier) on \(info.hostName.prefix(64)), \(UUID().uuidString.prefix(8).lowercased()))"
    }
}

/// Why a process runs without the user account.
enum AccountUnavailable: Error, CustomStringConvertible {
    /// Neither the API id nor the hash is set: the account is not wanted.
    case notConfigured
    /// Wanted but cannot be had: an option is missing or TDLib does not load.
    case failed(AccountError)

    var description: String {
        switch self {
        case .notConfigured: "not configured"
        case .failed(let error): "off: \(error)"
        }
    }
}
