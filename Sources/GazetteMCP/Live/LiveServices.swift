import Foundation
import GazetteCore
import GazetteDigest
import GazettePDF
import GazetteSources
import Logging
import GazetteMetrics

/// The production dependencies of the tools, built from the configuration: sources (with `source_requests_total`),
/// the configured summarizer (with `llm_*`), the metered renderer (`pdf_*`) and the digest service.
/// Metrics go to the registry passed in, so the process serving `/metrics` shows them.
public struct LiveServices: Sendable {
    public let context: ToolContext
    public let sources: Sources

    public init(config: Config, store: any GazetteStore, registry: MetricRegistry, logger: Logger) {
        let sources = Sources(config: config, metrics: SourceMetrics(registry: registry), logger: logger)
        let digest = DigestRunner(config: config, registry: registry, version: GazetteVersion.current, logger: logger)
        let service = DigestService(store: store, summarizer: digest.summarizer, renderer: digest.renderer,
                                    options: DigestOptions(config: config, version: GazetteVersion.current), logger: logger)
        self.sources = sources
        self.context = ToolContext(store: store, fetcher: SourcesFetcher(sources: sources, maxPages: config.maxPages),
                                   digest: DigestServiceBackend(service: service),
                                   windowLimits: WindowLimits(maxChannels: config.digestMaxChannels, maxPostsPerChannel: config.digestMaxPosts))
    }

    /// Builds the registry with `mcp_*` metrics on `registry`.
    public func toolRegistry(metricsRegistry: MetricRegistry) -> ToolRegistry {
        ToolRegistry(context: context, metrics: MCPMetrics(registry: metricsRegistry, toolNames: GazetteTools.all.map(\.name)))
    }

    public func shutdown() async {
        await sources.shutdown()
    }
}
