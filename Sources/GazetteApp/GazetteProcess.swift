import AsyncHTTPClient
import Foundation
import GazetteAccount
import GazetteBot
import GazetteCore
import GazetteDigest
import GazetteMCP
import GazetteObservability
import GazetteSources
import GazetteStorage
import GazetteWeb
import GazetteWorker
import Logging
import ServiceLifecycle

/// Every long-running Gazette process (`serve`, `worker`, `bot`, `run`), assembled in one place: telemetry first
/// (clients read the tracer and the metrics factory when they are made), then the store, the HTTP clients and the
/// parts, all as services of one `ServiceGroup` that SIGTERM/SIGINT shut down in reverse order, with the store and
/// clients closed last. The commands only parse arguments and call `run`.
public enum GazetteProcess {
    /// Which parts a process runs.
    public enum Role: String, Sendable, CaseIterable {
        /// MCP/HTTP server (`gazette serve`).
        case serve
        /// Fetch worker with `/metrics` and health on its own port, 9101 (`gazette worker`).
        case worker
        /// Telegram bot with `/metrics` and health on its own port, 9102 (`gazette bot`).
        case bot
        /// Server, worker and (with a token) bot in one process, one `/metrics` (`gazette run`).
        case all

        var serviceName: String {
            switch self {
            case .serve: "gazette-server"
            case .worker: "gazette-worker"
            case .bot: "gazette-bot"
            case .all: "gazette"
            }
        }

        /// The command that runs the role, as lease owners and refusals name it.
        var command: String { self == .all ? "run" : rawValue }

        var hasServer: Bool { self == .serve || self == .all }
        var hasWorker: Bool { self == .worker || self == .all }
        var hasBot: Bool { self == .bot || self == .all }

        /// The port of the small `/metrics` + health server of a process without the main server.
        var metricsPortDefault: Int { self == .bot ? 9102 : 9101 }

        /// How long the graceful part of a shutdown may take (the worker and the bot must exit within 10 s).
        var shutdownLimit: Duration? {
            switch self {
            case .serve: nil
            case .worker, .bot: .seconds(8)
            case .all: .seconds(9)
            }
        }
    }

    /// Where a started process listens, reported once its HTTP server is up.
    public struct Endpoints: Sendable, Equatable {
        /// `http://host:port` of the main server (serve, run) or of the metrics server (worker, bot).
        public var baseURL: String
        public var botEnabled: Bool

        public init(baseURL: String, botEnabled: Bool) {
            self.baseURL = baseURL
            self.botEnabled = botEnabled
        }
    }

    public struct Options: Sendable {
        /// Apply migrations once the database answers; false (`--no-migrate`) only checks the schema.
        public var migrate: Bool
        /// Allow a non-loopback address without an API token.
        public var insecureNoAuth: Bool
        /// How the worker reaches TDLib for the user account.
        public var accountLibrary: AccountLibrary

        public init(migrate: Bool = true, insecureNoAuth: Bool = false, accountLibrary: AccountLibrary = .tdlib) {
            self.migrate = migrate
            self.insecureNoAuth = insecureNoAuth
            self.accountLibrary = accountLibrary
        }
    }

    /// Runs the process until SIGTERM/SIGINT (or a part fails). The database need not answer at start:
    /// `/health/ready` says why it is not ready while `DatabaseStartup` retries.
    public static func run(_ role: Role, config: Configuration, options: Options = .init(), logger: Logger,
                           onListening: @escaping @Sendable (Endpoints) async -> Void = { _ in }) async throws {
        let serverOptions = {
            var server = config.server
            server.insecureNoAuth = options.insecureNoAuth
            return server
        }()
        if role.hasServer { try serverOptions.validate() }
        if role == .bot, config.bot.token == nil { throw BotStartError.noToken }

        let observability = Observability()
        var services = try Telemetry.bootstrap(config.tracing, serviceName: role.serviceName, registry: observability.registry, logger: logger)

        let store = try ProcessParts.store(config, observer: observability.database, logger: logger)
        services.append(.init(service: ResourceService("store") { await store.shutdown() }))
        let startup = DatabaseStartup(store: store, migrate: options.migrate, logger: logger)
        startup.register(in: observability.health)
        services.append(.init(service: startup, successTerminationBehavior: .ignore))

        let registry = observability.registry
        let sources = ProcessParts.sources(config, registry: registry, logger: logger)
        services.append(.init(service: ResourceService("source-http-client") { await sources.shutdown() }))
        let botToken = role.hasBot ? config.bot.token : nil
        var digest: DigestService?
        var webImages: WebImages?
        if role.hasServer || botToken != nil {
            let images = ProcessParts.images(config, cache: store, registry: registry, logger: logger)
            services.append(.init(service: ResourceService("image-http-client") { await images.shutdown() }))
            digest = ProcessParts.digest(config, store: store, images: images, registry: registry, logger: logger)
            webImages = WebImages(loader: images, cache: store, retention: config.worker.postTTL)
        }

        var bot: BotRuntime?
        if let token = botToken, let digest {
            let http = BotAPIClient.makeHTTPClient()
            services.append(.init(service: ResourceService("bot-http-client") { await Self.close(http, logger: logger) }))
            bot = BotRuntime(token: token, settings: config.bot, store: store,
                             digests: digest, httpClient: http, registry: registry, logger: logger, archive: store)
        }
        let botEnabled = bot != nil

        if role.hasServer, let digest {
            let tools = ProcessParts.tools(config, store: store, sources: sources, digest: digest, registry: registry)
            var dependencies = ServerDependencies(registry: tools, observability: observability, logger: logger)
            let web = try WebReader(store: store, digests: digest, images: webImages, version: GazetteVersion.current,
                                    logger: logger)
            dependencies.extraRoutes.append { router in web.add(to: router) }
            services.append(.init(service: dependencies.sessions, serviceName: "mcp-sessions"))
            let server = try GazetteServer.buildApplication(options: serverOptions, dependencies: dependencies) { port in
                await onListening(Endpoints(baseURL: Self.baseURL(host: serverOptions.host, port: port), botEnabled: botEnabled))
            }
            services.append(.init(service: server, serviceName: "http-server"))
        } else {
            let host = config.server.host
            let server = observability.makeServer(host: host, port: config.metricsPort ?? role.metricsPortDefault, logger: logger) { port in
                await onListening(Endpoints(baseURL: Self.baseURL(host: host, port: port), botEnabled: botEnabled))
            }
            services.append(.init(service: server, serviceName: "metrics-server"))
        }

        // A worker or bot process ends when its one part ends; in `run` a finished part does not end the others.
        let partEnds: ServiceGroupConfiguration.ServiceConfiguration.TerminationBehavior =
            role == .all ? .cancelGroup : .gracefullyShutdownGroup
        if role.hasWorker {
            let fetcherMetrics = FetcherMetrics(registry: registry)
            var settings = config.worker
            settings.owner = ProcessParts.owner(role.command)
            let made = ProcessParts.account(config, store: store, owner: settings.owner, library: options.accountLibrary,
                                            registry: registry, logger: logger) { fetcherMetrics.saved(channel: $0, $1) }
            var account: AccountService?
            switch made {
            case .success(let service): account = service
            case .failure(.failed(let error)): logger.warning("the Telegram user account is off", metadata: ["reason": "\(error)"])
            case .failure(.notConfigured): break
            }
            // Health shows the account's state; it never fails readiness (no account is a valid set-up, and a logged-out
            // one is the TelegramAccountLoggedOut alert's business).
            observability.health.register("telegram_account") {
                switch made {
                case .success(let account): HealthCheckResult(ok: true, detail: account.accountState.rawValue)
                case .failure(let why): HealthCheckResult(ok: true, detail: why.description)
                }
            }
            if let account {
                services.append(.init(service: AfterDatabase(account, startup: startup, name: "telegram-account")))
            }
            let worker = FetchWorker(store: store, sources: sources, metrics: fetcherMetrics, settings: settings, logger: logger,
                                     account: account)
            worker.register(in: observability.health)
            services.append(.init(service: AfterDatabase(worker, startup: startup, name: "fetch-worker"),
                                  successTerminationBehavior: partEnds))
        }
        if let bot {
            // A rejected token ends the poller with an error, which stops the whole process with its message.
            services.append(.init(service: AfterDatabase(bot.poller, startup: startup, name: "bot-poller"),
                                  successTerminationBehavior: partEnds))
        }
        // The daily digest to every destination (issue 18): in the bot, and in `run` also without a bot (email, feed).
        if role.hasBot, let digest {
            let scheduler = DeliveryParts.scheduler(config.delivery, store: store, digests: digest, bot: bot, registry: registry, logger: logger)
            services.append(.init(service: AfterDatabase(scheduler, startup: startup, name: "daily-digest")))
        }

        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        if let limit = role.shutdownLimit { configuration.maximumGracefulShutdownDuration = limit }
        try await ServiceGroup(configuration: configuration).run()
    }

    /// `gazette mcp`: the same tools over stdio until the client closes standard input (or SIGTERM/SIGINT), in a
    /// service group like the other processes. A desktop client starts it on demand, so the database must answer at
    /// once: its error ends the process instead of a retry loop nobody sees.
    public static func stdio(config: Configuration, options: Options = .init(), logger: Logger) async throws {
        let observability = Observability()
        var services = try Telemetry.bootstrap(config.tracing, serviceName: "gazette-mcp", registry: observability.registry, logger: logger)
        let store = try await ProcessParts.openStore(config, migrate: options.migrate, observer: observability.database, logger: logger)
        services.append(.init(service: ResourceService("store") { await store.shutdown() }))
        let registry = observability.registry
        let sources = ProcessParts.sources(config, registry: registry, logger: logger)
        services.append(.init(service: ResourceService("source-http-client") { await sources.shutdown() }))
        let images = ProcessParts.images(config, cache: store, registry: registry, logger: logger)
        services.append(.init(service: ResourceService("image-http-client") { await images.shutdown() }))
        let digest = ProcessParts.digest(config, store: store, images: images, registry: registry, logger: logger)
        let tools = ProcessParts.tools(config, store: store, sources: sources, digest: digest, registry: registry)
        services.append(.init(service: StdioService(registry: tools), successTerminationBehavior: .gracefullyShutdownGroup))
        let configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await ServiceGroup(configuration: configuration).run()
    }

    /// `gazette deliver --once`: one pass of the daily digest scheduler, then exit. Telegram is reached when a bot token
    /// is configured, email when SMTP is. Returns how many users' days were finished.
    public static func deliverOnce(config: Configuration, migrate: Bool, logger: Logger) async throws -> Int {
        let observability = Observability()
        let store = try await ProcessParts.openStore(config, migrate: migrate, observer: observability.database, logger: logger)
        let registry = observability.registry
        let images = ProcessParts.images(config, cache: store, registry: registry, logger: logger)
        let digest = ProcessParts.digest(config, store: store, images: images, registry: registry, logger: logger)
        var http: HTTPClient?
        var bot: BotRuntime?
        if let token = config.bot.token {
            let client = BotAPIClient.makeHTTPClient()
            http = client
            bot = BotRuntime(token: token, settings: config.bot, store: store,
                             digests: digest, httpClient: client, registry: registry, logger: logger)
        }
        let delivered = await DeliveryParts.scheduler(config.delivery, store: store, digests: digest, bot: bot, registry: registry, logger: logger)
            .runOnce()
        if let http { await close(http, logger: logger) }
        await images.shutdown()
        await store.shutdown()
        return delivered
    }

    static func baseURL(host: String, port: Int) -> String {
        "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    private static func close(_ client: HTTPClient, logger: Logger) async {
        do {
            try await client.shutdown()
        } catch {
            logger.warning("HTTP client shutdown failed", metadata: ["error": "\(error)"])
        }
    }
}
