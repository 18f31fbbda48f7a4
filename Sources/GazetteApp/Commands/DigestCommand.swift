import Foundation
import GazetteCore
import GazetteDigest
import GazetteMetrics
import Logging

extension GazetteCommands {
    /// `gazette digest --user ID`: one digest of the user's subscriptions, built as the bot, the MCP tools and the web
    /// reader build theirs, pictures included (fetched into the store's image cache; `--images off` and the reader's
    /// own setting turn them off). `byChannel` gives the earlier layout (one section per channel, no stories).
    public static func digest(_ config: Configuration, userID: Int64, hours: Int, format: DigestOutputFormat, byChannel: Bool = false,
                              migrate: Bool, logger: Logger, now: Date = Date()) async throws -> DigestExport {
        try await withStore(config, migrate: migrate, logger: logger) { store in
            let registry = MetricRegistry()
            let images = ProcessParts.images(config, cache: store, registry: registry, logger: logger)
            let service = ProcessParts.digest(config, store: store, images: images, registry: registry, logger: logger,
                                              byChannel: byChannel)
            do {
                let export = try await DigestExport.forUser(service, userID: userID, hours: hours, format: format, now: now)
                await images.shutdown()
                return export
            } catch {
                await images.shutdown()
                throw error
            }
        }
    }

    /// `gazette digest --demo`: the sample posts shipped with Gazette; no database, no network.
    public static func demoDigest(_ config: Configuration, format: DigestOutputFormat, byChannel: Bool = false, logger: Logger,
                                  now: Date = Date()) async throws(DigestError) -> DigestExport {
        let registry = MetricRegistry()
        return try await DigestExport.demo(format: format, summarizer: ProcessParts.summarizer(config, registry: registry, logger: logger),
                                           renderer: ProcessParts.renderer(registry: registry), now: now, version: GazetteVersion.current,
                                           options: ProcessParts.digestOptions(config, byChannel: byChannel))
    }
}
