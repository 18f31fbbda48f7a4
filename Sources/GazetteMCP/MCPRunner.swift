import Foundation
import GazetteCore
import GazetteObservability
import Logging
import ServiceLifecycle

/// The bodies of `gazette serve` and `gazette mcp`, so the commands stay argument parsing only.
public enum MCPRunner {
    /// `gazette serve`: MCP at /mcp, REST, /metrics and health on one port until SIGTERM/SIGINT.
    public static func serve(config: Config, store: any GazetteStore, insecureNoAuth: Bool, logger: Logger) async throws {
        let options = HTTPServerOptions(config: config, insecureNoAuth: insecureNoAuth)
        try options.validate()
        let observability = Observability()
        let store = observability.instrument(store)
        let live = LiveServices(config: config, store: store, registry: observability.registry, logger: logger)
        let registry = live.toolRegistry(metricsRegistry: observability.registry)
        let app = try GazetteServer.buildApplication(
            options: options, dependencies: ServerDependencies(registry: registry, observability: observability, logger: logger),
            onRunning: { port in logger.info("gazette serve listening", metadata: ["address": "http://\(options.host):\(port)"]) })
        let group = try ProcessGroup.make([.init(service: app)], config: config, serviceName: "gazette-server",
                                          shutdownLimit: nil, logger: logger)
        do {
            try await group.run()
        } catch {
            await live.shutdown()
            throw error
        }
        await live.shutdown()
    }

    /// `gazette mcp`: the same tools over stdio until the client closes standard input.
    public static func stdio(config: Config, store: any GazetteStore, logger: Logger) async throws {
        let observability = Observability()
        let live = LiveServices(config: config, store: store, registry: observability.registry, logger: logger)
        do {
            try await StdioServer.run(registry: live.toolRegistry(metricsRegistry: observability.registry))
        } catch {
            await live.shutdown()
            throw error
        }
        await live.shutdown()
    }
}
