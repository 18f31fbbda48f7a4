import Foundation
import GazetteAccount
import GazetteCore
import GazetteDigest
import GazetteMCP
import GazetteMetrics
import GazetteSources
import Logging

/// The production parts a process is built from, made from the configuration: the sources (with their one HTTP
/// client and `source_requests_total`), the digest pipeline (configured summarizer with `llm_*`, metered renderer
/// with `pdf_*`) and the tool registry (`mcp_*`). Metrics go to the registry passed in, the one the process serves
/// on `/metrics`; a process makes only the parts it runs, so it shows only the metrics of its own work (a worker
/// has no `pdf_*`).
enum ProcessParts {
    static func sources(_ config: Config, registry: MetricRegistry, logger: Logger) -> Sources {
        Sources(config: config, metrics: SourceMetrics(registry: registry), logger: logger)
    }

    static func digest(_ config: Config, store: any GazetteStore, images: ImageLoader?, registry: MetricRegistry,
                       logger: Logger) -> DigestService {
        let runner = DigestRunner(config: config, registry: registry, version: GazetteVersion.current, logger: logger)
        return DigestService(store: store, summarizer: runner.summarizer, renderer: runner.renderer,
                             options: DigestOptions(config: config, version: GazetteVersion.current), images: images, logger: logger)
    }

    /// The pictures of the process's PDFs: fetched on demand with their own HTTP client (`image_*` metrics), kept in the
    /// store's image cache. Close it with `shutdown()`.
    static func images(_ config: Config, store: any GazetteStore, registry: MetricRegistry, logger: Logger) -> ImageLoader {
        ImageLoader(fetcher: ImageFetcher(settings: ImageSettings(config: config), logger: logger), cache: store,
                    metrics: ImageMetrics(registry: registry), logger: logger, verify: DigestPictures.rendererCheck)
    }

    /// The Telegram user account of a worker process, when `--telegram-api-id`/`--telegram-api-hash` are set and TDLib
    /// loads; otherwise nil and one log line saying why (the account's channels then wait for login). The second value
    /// is what health reports about the account when there is no service.
    static func account(_ config: Config, store: any GazetteStore, owner: String, registry: MetricRegistry, logger: Logger,
                        onSaved: @escaping @Sendable (String, Int) -> Void) -> (AccountService?, String) {
        guard config.telegramAPIID != nil || config.telegramAPIHash != nil else { return (nil, "not configured") }
        let settings: AccountSettings
        do throws(AccountError) {
            settings = try AccountSettings.from(config, applicationVersion: GazetteVersion.current)
            try TDJSONLibrary.load(configured: config.tdlibPath)
        } catch {
            logger.warning("the Telegram user account is off", metadata: ["reason": "\(error)"])
            return (nil, "off: \(error)")
        }
        let service = AccountService(
            settings: settings, store: store, owner: owner, leaseDuration: config.leaseDuration,
            makeTransport: { () throws(AccountError) -> any TDJSONTransport in TDJSONLibrary.Client() },
            metrics: AccountMetrics(registry: registry), logger: logger, dedupWindow: 86_400, onSaved: onSaved)
        return (service, "configured")
    }

    /// The MCP tools over the process's store, sources and digest pipeline.
    static func tools(_ config: Config, store: any GazetteStore, sources: Sources, digest: DigestService,
                      registry: MetricRegistry) -> ToolRegistry {
        let context = ToolContext(store: store, fetcher: SourcesFetcher(sources: sources, maxPages: config.maxPages), digest: digest,
                                  windowLimits: WindowLimits(maxChannels: config.digestMaxChannels, maxPostsPerChannel: config.digestMaxPosts),
                                  allowPrivateSources: config.allowPrivateSources)
        return ToolRegistry(context: context, metrics: MCPMetrics(registry: registry, toolNames: GazetteTools.all.map(\.name)))
    }
}
