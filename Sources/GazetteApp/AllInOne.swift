import AsyncHTTPClient
import Foundation
import GazetteBot
import GazetteCore
import GazetteMCP
import GazetteObservability
import GazetteSources
import GazetteWorker
import Logging
import ServiceLifecycle

/// `gazette run`: the MCP/HTTP server, the fetch worker and (with a token) the bot in one process under one
/// `ServiceGroup`, sharing one store, one metrics registry and one `/metrics` on the server's port.
public enum AllInOne {
    /// Where the running parts are, reported once the server is listening.
    public struct Endpoints: Sendable, Equatable {
        public var baseURL: String
        public var botEnabled: Bool
    }

    public static func run(config: Config, store: any GazetteStore, insecureNoAuth: Bool, logger: Logger,
                           onRunning: @escaping @Sendable (Endpoints) async -> Void = { _ in }) async throws {
        let options = HTTPServerOptions(config: config, insecureNoAuth: insecureNoAuth)
        try options.validate()
        let observability = Observability()
        let store = observability.instrument(store)

        let live = LiveServices(config: config, store: store, registry: observability.registry, logger: logger)
        let worker = FetchWorker(store: store, sources: live.sources, metrics: FetcherMetrics(registry: observability.registry),
                                 settings: WorkerSettings(config: config), logger: logger)
        WorkerRunner.registerHealth(observability.health, worker: worker)
        let botHTTP = HTTPClient(eventLoopGroupProvider: .singleton)
        let bot = BotRunner.makeRuntime(config: config, store: store, registry: observability.registry,
                                        httpClient: botHTTP, logger: logger)

        let server = try GazetteServer.buildApplication(
            options: options,
            dependencies: ServerDependencies(registry: live.toolRegistry(metricsRegistry: observability.registry),
                                             observability: observability, logger: logger),
            onRunning: { port in
                let host = options.host.contains(":") ? "[\(options.host)]" : options.host
                await onRunning(Endpoints(baseURL: "http://\(host):\(port)", botEnabled: bot != nil))
            })

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: server, serviceName: "http-server"),
            .init(service: worker, serviceName: "fetch-worker"),
        ]
        if let bot {
            // A rejected token ends the poller with an error, which stops the whole process with its message.
            services.append(.init(service: bot.poller, serviceName: "bot-poller"))
            services.append(.init(service: bot.scheduler, serviceName: "bot-daily-digest"))
        }
        let group = try ProcessGroup.make(services, config: config, serviceName: "gazette", shutdownLimit: .seconds(9), logger: logger)

        var failure: (any Error)?
        do {
            try await group.run()
        } catch {
            failure = error
        }
        await live.shutdown()
        try await botHTTP.shutdown()
        if let failure { throw failure }
    }

    /// What `gazette run` prints once it is listening: where everything is and what to do next.
    public static func banner(_ endpoints: Endpoints, config: Config) -> String {
        let database = Secret.redactingPassword(inURL: config.databaseURL)
        var lines = [
            "Gazette \(GazetteVersion.current) is running.",
            "",
            "  MCP (Streamable HTTP)  \(endpoints.baseURL)/mcp",
            "  REST API               \(endpoints.baseURL)/tools, \(endpoints.baseURL)/call",
            "  Metrics                \(endpoints.baseURL)/metrics",
            "  Health                 \(endpoints.baseURL)/health/ready",
            "  Database               \(database)",
            "  Fetching               every \(DurationParser.format(config.interval)) from \(config.telegramPreviewBaseURL.absoluteString)",
            "  Telegram bot           \(endpoints.botEnabled ? "on" : "off (set TELEGRAM_BOT_TOKEN to turn it on)")",
            "",
            "Next steps:",
            "  1. Subscribe a channel:     gazette channels add --user 1 @durov",
            "  2. Get a digest:            gazette digest --user 1 --out digest.pdf   (or: gazette digest --demo --out demo.pdf)",
            "  3. Connect an MCP client:   \(endpoints.baseURL)/mcp  (stdio: gazette mcp; see docs/MCP.md)",
        ]
        if !endpoints.botEnabled {
            lines.append("  4. Turn on the bot:         TELEGRAM_BOT_TOKEN=123456:ABC… gazette run   (token from @BotFather)")
        }
        lines.append("")
        lines.append("Stop with Ctrl-C.")
        return lines.joined(separator: "\n")
    }
}
