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
/// configuration: the store, the sources (with their one HTTP client and `source_requests_total`), the pictures
/// (`image_*`), the digest pipeline (configured summarizer with `llm_*`, metered renderer with `pdf_*`, `summary_cache_*`), the user
/// account and the tool registry (`mcp_*`). Metrics go to the registry passed in: the one a process serves on
/// `/metrics`, or a command's own. A process makes only the parts it runs, so it shows only the metrics of its own
/// work (a worker has no `pdf_*`).
enum ProcessParts {
    /// The store, migrated (or with `migrate: false` only checked): for a command, which needs the database at once.
    static func openStore(_ config: Config, migrate: Bool, observer: (any StoreObserver)? = nil,
                          logger: Logger) async throws -> any GazetteStore {
        try await StoreFactory.open(databaseURL: config.databaseURL, migrate: migrate, observer: observer, logger: logger)
    }

    static func sources(_ config: Config, registry: MetricRegistry, logger: Logger) -> Sources {
        Sources(config: config, metrics: SourceMetrics(registry: registry), logger: logger)
    }

    static func digest(_ config: Config, store: any DigestStore, images: ImageLoader?, registry: MetricRegistry,
                       logger: Logger, byChannel: Bool = false) -> DigestService {
        DigestService(store: store, summarizer: summarizer(config, registry: registry, logger: logger), renderer: renderer(registry: registry),
                      options: digestOptions(config, byChannel: byChannel), images: images,
                      summaryMetrics: SummaryCacheMetrics(registry: registry), logger: logger)
    }

    static func digestOptions(_ config: Config, byChannel: Bool = false) -> DigestOptions {
        var options = DigestOptions(config: config, version: GazetteVersion.current)
        options.byChannel = byChannel
        return options
    }

    static func summarizer(_ config: Config, registry: MetricRegistry, logger: Logger) -> any Summarizer {
        config.makeSummarizer(metrics: LLMMetrics(registry: registry), logger: logger)
    }

    static func renderer(registry: MetricRegistry) -> MeteredRenderer {
        MeteredRenderer(metrics: PDFMetrics(registry: registry))
    }

    /// The pictures of the process's PDFs: fetched on demand with their own HTTP client (`image_*` metrics), kept in
    /// `cache` (the store's image cache; nil: fetched every time, as `gazette render --remote-images` does); the user
    /// account's pictures are asked of the process that owns the account, through the same store. Close it with
    /// `shutdown()`.
    static func images(_ config: Config, cache: (any AccountPictureRequests.Store)?, registry: MetricRegistry,
                       logger: Logger) -> ImageLoader {
        ImageLoader(fetcher: ImageFetcher(settings: ImageSettings(config: config), logger: logger), cache: cache,
                    metrics: ImageMetrics(registry: registry), logger: logger, verify: DigestPictures.rendererCheck,
                    accountPictures: cache.map { AccountPictureRequests(store: $0) })
    }

    /// The Telegram user account of a process that reads channels (`worker`, `run`, `fetch`), when
    /// `--telegram-api-id`/`--telegram-api-hash` are set and TDLib loads; otherwise nil and why (logged as one line by
    /// the long-running processes; the account's channels then wait for login).
    static func account(_ config: Config, store: any AccountService.Store, owner: String, library: AccountLibrary,
                        registry: MetricRegistry, logger: Logger,
                        onSaved: @escaping @Sendable (String, Int) -> Void) -> Result<AccountService, AccountUnavailable> {
        guard config.telegramAPIID != nil || config.telegramAPIHash != nil else { return .failure(.notConfigured) }
        let settings: AccountSettings
        do throws(AccountError) {
            settings = try AccountSettings.from(config, applicationVersion: GazetteVersion.current)
            try library.load(config.tdlibPath)
        } catch {
            return .failure(.failed(error))
        }
        let service = AccountService(
            settings: settings, store: store, owner: owner, leaseDuration: config.leaseDuration,
            makeTransport: library.makeTransport, metrics: AccountMetrics(registry: registry), logger: logger,
            dedupWindow: 86_400, onSaved: onSaved,
            pictures: AccountPictureSettings(limits: ImageSettings(config: config), verify: DigestPictures.rendererCheck))
        return .success(service)
    }

    /// The MCP tools over the process's store, sources and digest pipeline.
    static func tools(_ config: Config, store: any GazetteStore, sources: Sources, digest: DigestService,
                      registry: MetricRegistry) -> ToolRegistry {
        let context = ToolContext(store: store, fetcher: SourcesFetcher(sources: sources, maxPages: config.maxPages), digest: digest,
                                  windowLimits: WindowLimits(maxChannels: config.digestMaxChannels, maxPostsPerChannel: config.digestMaxPosts),
                                  allowPrivateSources: config.allowPrivateSources)
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
