import AsyncHTTPClient
import Foundation
import GazetteCore
import GazetteDelivery
import GazetteDigest
import Logging
import GazetteMetrics
import ServiceLifecycle

/// The store roles the bot uses: channels and subscriptions, posts (Bot API channel posts), deliveries, bot state and
/// search (`/search`).
public typealias BotStore = ChannelStore & PostStore & DeliveryStore & BotStateStore & ReaderStore & SearchStore

/// The bot assembled from its parts: the update poller and the daily digest scheduler (with the Telegram destination;
/// GazetteApp adds email and the feed), ready to be run as ServiceLifecycle services by `gazette bot` or inside
/// `gazette run`.
public struct BotRuntime: Sendable {
    public let api: BotAPIClient
    public let metrics: BotMetrics
    public let messenger: BotMessenger
    public let handler: BotHandler
    public let responder: DigestResponder
    public var poller: UpdatePoller
    public var scheduler: DigestDeliveryScheduler

    public var services: [any Service] { [poller, scheduler] }

    /// - Parameter token: the bot token (`settings.token`, which the caller has checked); only ever placed in request
    ///   paths.
    public init(token: Secret, settings: BotSettings, store: any BotStore,
                digests: any DigestDelivering, httpClient: HTTPClient, registry: MetricRegistry,
                logger: Logger, clock: any GazetteClock = SystemClock(), floodLimits: FloodGate.Limits = .init(),
                owner: String = BotRuntime.defaultOwner(), archive: (any DigestArchiveStore)? = nil) {
        api = BotAPIClient(baseURL: settings.apiBaseURL, token: token, httpClient: httpClient, logger: logger)
        metrics = BotMetrics(registry: registry)
        messenger = BotMessenger(api: api, gate: FloodGate(limits: floodLimits, clock: clock), metrics: metrics, clock: clock, logger: logger)
        responder = DigestResponder(digests: digests, messenger: messenger, metrics: metrics, clock: clock, logger: logger)
        handler = BotHandler(store: store, messenger: messenger, responder: responder,
                             ingestor: ChannelPostIngestor(store: store, logger: logger), metrics: metrics,
                             logger: logger, allowedUsers: settings.allowedUsers)
        poller = UpdatePoller(api: api, store: store, handler: handler, clock: clock, logger: logger)
        // Telegram, and the feed when an archive is given; GazetteApp adds email.
        var senders: [any DigestSender] = [TelegramDigestSender(responder: responder)]
        if let archive { senders.append(FeedDigestSender(archive: archive, clock: clock)) }
        scheduler = DigestDeliveryScheduler(store: store, digests: digests, senders: senders,
                                            metrics: DeliveryMetrics(registry: registry), clock: clock, logger: logger, owner: owner)
    }

    /// `host-pid-random`: distinct for every bot process, also two on one machine.
    public static func defaultOwner() -> String { DigestDeliveryScheduler.defaultOwner() }
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
