import AsyncHTTPClient
import Foundation
import GazetteCore
import Logging
import NIOCore
import NIOHTTP1

/// HTTP behaviour shared by every source (SPEC §3).
public struct HTTPSettings: Sendable, Equatable {
    public var connectTimeout: TimeInterval = 5
    /// Deadline for the whole request, body included.
    public var totalTimeout: TimeInterval = 20
    public var maxResponseBytes: Int = 2 * 1024 * 1024
    public var hostConcurrency: Int = 2
    public var maxRedirects: Int = 5
    public var allowPrivateSources: Bool = false
    public var userAgent: String = HTTPSettings.defaultUserAgent
    /// A `429` whose `Retry-After` is at most this long is waited out and retried at once, inside the same pass
    /// (and inside `fetch --once`); a longer one schedules the channel for later. Zero turns retrying off.
    public var maxRetryAfterWait: TimeInterval = 30
    /// At most this many such retries per request.
    public var rateLimitRetries: Int = 3

    public static let defaultUserAgent =
        "Gazette/1.0 (digest of public Telegram channels and feeds; reads public pages only; +https://github.com/gazette-digest)"

    public init() {}
}

/// A response whose body was read completely (within the size cap).
struct FetchedResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: Data
    var url: URL
}

/// One `HTTPClient` for all sources, with per-host concurrency, a size cap, timeouts and address checks.
final class SourceHTTPClient: Sendable {
    let settings: HTTPSettings
    private let client: HTTPClient
    private let limiter: HostLimiter
    private let metrics: SourceMetrics?
    private let logger: Logger
    private let clock: any GazetteClock

    init(settings: HTTPSettings, metrics: SourceMetrics?, logger: Logger, clock: any GazetteClock = SystemClock()) {
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, // followed by hand, so every hop passes the address check
            timeout: .init(connect: .milliseconds(Int64(settings.connectTimeout * 1000)),
                           read: .milliseconds(Int64(settings.totalTimeout * 1000))),
            decompression: .enabled(limit: .size(settings.maxResponseBytes)))
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, settings.hostConcurrency) + 2)
        // A refused connection fails the request at once (a network error the worker backs off from) instead of being
        // retried inside the client until the request's time is up: the one timeout is the clock's (`once`).
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        limiter = HostLimiter(limit: settings.hostConcurrency)
    }

    func shutdown() async {
        do {
            try await client.shutdown()
        } catch {
            logger.warning("HTTP client shutdown failed", metadata: ["error": "\(error)"])
        }
    }

    /// GET `url`. Redirects are followed (at most `maxRedirects`) unless `followRedirects` is false, in which case
    /// the 3xx response is returned. `trusted` skips the private-address check (the operator's own base URL).
    /// Throws for 429 and for connection, timeout and size failures; other statuses are returned to the caller.
    func get(_ url: URL, source: SourceMetrics.Source, headers extra: [(String, String)] = [], trusted: Bool,
             followRedirects: Bool = true) async throws(SourceError) -> FetchedResponse {
        var current = url
        for _ in 0...settings.maxRedirects {
            if !trusted { try await AddressPolicy(allowPrivate: settings.allowPrivateSources).check(current) }
            let response = try await waitingOutShortRateLimits(current, source: source, headers: extra)
            guard followRedirects, [301, 302, 303, 307, 308].contains(response.status) else { return response }
            guard let location = response.headers.first(name: "location"),
                  let next = URL(string: location, relativeTo: current)?.absoluteURL,
                  let scheme = next.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
                throw .httpStatus(response.status, url: current.absoluteString)
            }
            current = next
        }
        throw .network(url: url.absoluteString, detail: "more than \(settings.maxRedirects) redirects")
    }

    /// One request; a `429` asking for a short wait (`maxRetryAfterWait`) is waited out (outside the host's slot)
    /// and retried, at most `rateLimitRetries` times. A longer or missing `Retry-After` is the caller's to schedule.
    private func waitingOutShortRateLimits(_ url: URL, source: SourceMetrics.Source,
                                           headers extra: [(String, String)]) async throws(SourceError) -> FetchedResponse {
        var retries = 0
        while true {
            do {
                return try await once(url, source: source, headers: extra)
            } catch {
                guard case .rateLimited(_, let wait?) = error, wait <= settings.maxRetryAfterWait,
                      retries < settings.rateLimitRetries else { throw error }
                retries += 1
                logger.info("rate limited; retrying after the server's Retry-After", metadata: [
                    "url": "\(SourceError.shown(url.absoluteString))", "retry_after_s": "\(wait)", "retry": "\(retries)",
                ])
                do {
                    try await clock.sleep(seconds: wait)
                } catch {
                    throw .network(url: url.absoluteString, detail: "cancelled")
                }
            }
        }
    }

    private func once(_ url: URL, source: SourceMetrics.Source, headers extra: [(String, String)]) async throws(SourceError) -> FetchedResponse {
        let host = url.host(percentEncoded: false) ?? ""
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .GET
        request.headers.add(name: "User-Agent", value: settings.userAgent)
        request.headers.add(name: "Accept-Language", value: "en")
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        let prepared = request
        let timeout = settings.totalTimeout
        let limit = settings.maxResponseBytes
        let client = self.client
        let clock = self.clock
        let outcome: Result<FetchedResponse, SourceError>
        do {
            outcome = try await limiter.run(host: host) { () async throws -> Result<FetchedResponse, SourceError> in
                // The timeout starts once the host slot is ours (waiting in line is not the server's slowness) and
                // runs on the injected clock; the request is cancelled when it expires.
                let fetched = try await clock.withTimeout(seconds: timeout) { () async throws -> Result<FetchedResponse, SourceError> in
                    let response = try await client.execute(prepared, deadline: .distantFuture)
                    if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > limit {
                        return .failure(.tooLarge(url: url.absoluteString, limit: limit))
                    }
                    let status = Int(response.status.code)
                    do {
                        let buffer = try await response.body.collect(upTo: limit)
                        return .success(FetchedResponse(status: status, headers: response.headers, body: Data(buffer.readableBytesView), url: url))
                    } catch is NIOTooManyBytesError {
                        return .failure(.tooLarge(url: url.absoluteString, limit: limit))
                    }
                }
                return fetched ?? .failure(.timeout(url: url.absoluteString))
            }
        } catch {
            metrics?.record(source: source, status: nil)
            throw Self.map(error, url: url)
        }
        switch outcome {
        case .failure(let error):
            metrics?.record(source: source, status: nil)
            throw error
        case .success(let response):
            metrics?.record(source: source, status: response.status)
            if response.status == 429 {
                throw .rateLimited(url: url.absoluteString, retryAfter: Self.retryAfter(response.headers.first(name: "retry-after")))
            }
            return response
        }
    }

    static func map(_ error: any Error, url: URL) -> SourceError {
        let u = url.absoluteString
        if let e = error as? HTTPClientError {
            switch e {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout, .tlsHandshakeTimeout,
                 .getConnectionFromPoolTimeout:
                return .timeout(url: u)
            default:
                return .network(url: u, detail: String(describing: e))
            }
        }
        if let e = error as? ChannelError, case .connectTimeout = e { return .timeout(url: u) }
        if error is CancellationError { return .network(url: u, detail: "cancelled") }
        if error is NIOTooManyBytesError { return .tooLarge(url: u, limit: 0) }
        return .network(url: u, detail: String(describing: error))
    }

    /// `Retry-After` as seconds (`120`) or an HTTP date; capped at one day.
    static func retryAfter(_ raw: String?, now: Date = Date()) -> TimeInterval? {
        guard let raw = raw?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        if let seconds = Double(raw), seconds >= 0 { return min(seconds, 86_400) }
        if let date = DateParsing.rfc822(raw) { return min(max(0, date.timeIntervalSince(now)), 86_400) }
        return nil
    }
}
