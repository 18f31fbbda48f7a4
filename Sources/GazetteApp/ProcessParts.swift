import Foundation
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

    static func digest(_ config: Config, store: any GazetteStore, registry: MetricRegistry, logger: Logger) -> DigestService {
        let runner = DigestRunner(config: config, registry: registry, version: GazetteVersion.current, logger: logger)
        return DigestService(store: store, summarizer: runner.summarizer, renderer: runner.renderer,
                             options: DigestOptions(config: config, version: GazetteVersion.current), logger: logger)
    }

    /// The MCP tools over the process's store, sources and digest pipeline.
    static func tools(_ config: Config, store: any GazetteStore, sources: Sources, digest: DigestService,
                      registry: MetricRegistry) -> ToolRegistry {
        let context = ToolContext(store: store, fetcher: SourcesFetcher(sources: sources, maxPages: config.maxPages), digest: digest,
                                  windowLimits: WindowLimits(maxChannels: config.digestMaxChannels, maxPostsPerChannel: config.digestMaxPosts))
        return ToolRegistry(context: context, metrics: MCPMetrics(registry: registry, toolNames: GazetteTools.all.map(\.name)))
    }
}
