import Foundation
import GazetteCore
import GazetteObservability
import Hummingbird
import Logging
import MCP

/// How the HTTP server listens and who may call it (`--host`, `--port`, `--api-token`, `--api-tokens-file`, `--insecure-no-auth`).
public struct HTTPServerOptions: Sendable {
    public var host: String
    public var port: Int
    public var apiToken: Secret?
    /// Tokens that belong to users (`GAZETTE_API_TOKENS_FILE`).
    public var apiTokensFile: String?
    /// Allows a non-loopback address without a token (`--insecure-no-auth`).
    public var insecureNoAuth: Bool
    /// Browser origins allowed on `/mcp` besides loopback ones (e.g. `https://assistant.example`).
    public var allowedOrigins: [String]

    public init(host: String = "127.0.0.1", port: Int = 8004, apiToken: Secret? = nil, apiTokensFile: String? = nil,
                insecureNoAuth: Bool = false, allowedOrigins: [String] = []) {
        self.host = host
        self.port = port
        self.apiToken = apiToken
        self.apiTokensFile = apiTokensFile
        self.insecureNoAuth = insecureNoAuth
        self.allowedOrigins = allowedOrigins
    }

    /// Refuses to expose the tools on a non-loopback address without a token.
    public func validate() throws(ServerConfigError) {
        if let apiTokensFile {
            // A broken token file stops the start (its error names the line, never a token).
            do throws(APITokenFile.FileError) {
                _ = try APITokenFile.load(path: apiTokensFile)
            } catch {
                throw ServerConfigError(message: error.message)
            }
        }
        if apiToken == nil, apiTokensFile == nil, !insecureNoAuth, !OriginPolicy.isLoopback(host) {
            throw ServerConfigError(message: "refusing to bind \(host) without GAZETTE_API_TOKEN; set a token, bind 127.0.0.1, "
                                    + "or pass --insecure-no-auth")
        }
    }
}

public struct ServerConfigError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// The pieces the server is built from; `gazette run` passes the same observability to its other parts.
public struct ServerDependencies: Sendable {
    public var registry: ToolRegistry
    public var observability: Observability
    public var httpMetrics: HTTPMetrics
    /// The Streamable HTTP sessions of `/mcp`; a service to run in the process's group beside the server.
    public var sessions: MCPSessions
    public var logger: Logger
    /// More routes on the same server (the web reader's `/u/<token>/…`), added after the built-in ones.
    public var extraRoutes: [@Sendable (Router<BasicRequestContext>) -> Void] = []

    public init(registry: ToolRegistry, observability: Observability, logger: Logger) {
        self.registry = registry
        self.observability = observability
        self.httpMetrics = HTTPMetrics(registry: observability.registry)
        self.sessions = MCPSessions(logger: logger) { caller in await MCPServerFactory.make(registry: registry, caller: caller) }
        self.logger = logger
    }
}

public enum GazetteServer {
    /// Adds every route (`/`, `/tools`, `/call`, `/mcp`, `/metrics`, `/health*`) and the metrics middleware to a router.
    public static func addRoutes(to router: Router<BasicRequestContext>, options: HTTPServerOptions, dependencies: ServerDependencies) {
        router.add(middleware: HTTPMetricsMiddleware(metrics: dependencies.httpMetrics))
        // A span per request (route, method, status), the parent of what the request does; the API token travels in a
        // header, which is not recorded, and a web token's path is recorded redacted. `/metrics` is answered before the
        // router and is not traced.
        router.add(middleware: RedactingTracingMiddleware())
        let auth = BearerAuth(options.apiToken, tokensFile: options.apiTokensFile)
        dependencies.observability.addRoutes(to: router)
        RESTRoutes(registry: dependencies.registry, auth: auth).add(to: router)
        MCPRoute(sessions: dependencies.sessions, auth: auth,
                 origins: OriginPolicy(host: options.host, allowedOrigins: options.allowedOrigins)).add(to: router)
        for add in dependencies.extraRoutes { add(router) }
    }

    /// The HTTP server as a `Service`-compatible application. `onRunning` receives the bound port (useful with port 0).
    public static func buildApplication(options: HTTPServerOptions, dependencies: ServerDependencies,
                                        onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        throws(ServerConfigError) -> some ApplicationProtocol {
        try options.validate()
        let router = Router()
        addRoutes(to: router, options: options, dependencies: dependencies)
        let recordScrape = dependencies.httpMetrics.recorder(route: "/metrics", method: "GET", status: 200)
        return Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [
                dependencies.observability.scrapeHandler(record: recordScrape),
            ])),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "gazette"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? options.port) },
            logger: dependencies.logger)
    }
}
