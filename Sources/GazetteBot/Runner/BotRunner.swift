import AsyncHTTPClient
import Foundation
import GazetteCore
import GazetteDigest
import GazetteObservability
import Logging
import GazetteMetrics
import ServiceLifecycle

/// Builds and runs the bot from the configuration, so `gazette bot` and `gazette run` stay thin.
public enum BotRunner {
    /// The bot wired to the digest pipeline, for a process that already has a registry and an HTTP client
    /// (`gazette run` adds `runtime.services` to its group). Nil when no token is configured.
    public static func makeRuntime(config: Config, store: any GazetteStore, registry: MetricRegistry,
                                   httpClient: HTTPClient, logger: Logger) -> BotRuntime? {
        guard let token = config.botToken else { return nil }
        let digest = DigestRunner(config: config, registry: registry, version: GazetteVersion.current, logger: logger)
        let service = DigestService(store: store, summarizer: digest.summarizer, renderer: digest.renderer,
                                    options: DigestOptions(config: config, version: GazetteVersion.current), logger: logger)
        return BotRuntime(token: token, apiBaseURL: config.telegramAPIBaseURL, allowedUsers: config.botAllowedUsers,
                          store: store, digests: DigestServiceSource(service: service), httpClient: httpClient,
                          registry: registry, logger: logger)
    }

    /// `gazette bot`: the poller, the daily scheduler and `/metrics` + `/health*` on `--metrics-port` (default 9102),
    /// until SIGTERM/SIGINT. A rejected token ends it with `BotAPIError.unauthorized` (a clear message).
    public static func runBot(config: Config, store: any GazetteStore, logger: Logger,
                              onMetricsPort: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let observability = Observability()
        let store = observability.instrument(store)
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        guard let runtime = makeRuntime(config: config, store: store, registry: observability.registry, httpClient: http, logger: logger) else {
            try await http.shutdown()
            throw BotStartError.noToken
        }
        let port = config.metricsPort ?? 9102
        let server = observability.makeServer(host: config.host, port: port, logger: logger, onRunning: onMetricsPort)
        let group = try ProcessGroup.make([
            .init(service: runtime.poller, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "bot-poller"),
            .init(service: runtime.scheduler, serviceName: "bot-daily-digest"),
            .init(service: server, serviceName: "metrics-server"),
        ], config: config, serviceName: "gazette-bot", shutdownLimit: .seconds(8), logger: logger)
        do {
            try await group.run()
        } catch {
            try await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }
}

/// Why the bot cannot start.
public enum BotStartError: Error, Sendable, CustomStringConvertible {
    case noToken

    public var description: String {
        switch self {
        case .noToken: "the bot needs a token: set TELEGRAM_BOT_TOKEN (or --token); create a bot and get its token from @BotFather"
        }
    }
}
