import Foundation
import GazetteAccount
import GazetteCore
import GazetteMetrics
import GazetteWorker
import Logging
import ServiceLifecycle

extension GazetteCommands {
    /// What `gazette fetch` did: the pass, and why the channels only the user account reads were left, when some were.
    public struct FetchOutcome: Sendable {
        public var pass: PassReport
        /// Why `pass.leftForAccount` were not read (nil when none were left).
        public var leftBecause: String?

        /// "left 2 channels for the user account (+AbCd, durov): <why>", nil when every channel was read.
        public var leftLine: String? {
            let left = pass.leftForAccount
            guard !left.isEmpty, let leftBecause else { return nil }
            return "left \(left.count) channel\(left.count == 1 ? "" : "s") for the user account (\(left.joined(separator: ", "))): \(leftBecause)"
        }
    }

    /// `gazette fetch`: one pass over the due channels (or one channel, due or not), then return. The channels only the
    /// user account reads are read through it when the account is configured, logged in and no other process holds
    /// its lease (this command holds it for the pass, as a worker does); otherwise they are left, and the outcome says
    /// why. SIGTERM/SIGINT stop the pass early with the current channels released.
    public static func fetch(_ config: Configuration, channel: ChannelRef?, migrate: Bool, logger: Logger, progress: FetchProgress,
                             accountLibrary: AccountLibrary = .tdlib) async throws -> FetchOutcome {
        try await withStore(config, migrate: migrate, logger: logger) { store in
            let registry = MetricRegistry()
            let metrics = FetcherMetrics(registry: registry)
            var settings = config.worker
            settings.owner = ProcessParts.owner("fetch")
            let (account, unavailable) = try await fetchAccount(config, store: store, owner: settings.owner, library: accountLibrary,
                                                                registry: registry, logger: logger) { metrics.saved(channel: $0, $1) }
            let sources = ProcessParts.sources(config, registry: registry, logger: logger)
            let worker = FetchWorker(store: store, sources: sources, metrics: metrics, settings: settings, logger: logger,
                                     account: account)
            let pass = OneShot { () async throws -> PassReport in
                // The account's channels are read only once its session is open (or known not to be logged in).
                await account?.firstRoundDone()
                if let channel {
                    progress.start(total: 1)
                    return try await worker.fetchOne(channel, onChannel: progress.channelDone)
                }
                progress.start(total: try await store.subscribedChannelCount())
                return try await worker.runPass(onChannel: progress.channelDone)
            }
            var services = [ServiceGroupConfiguration.ServiceConfiguration(
                service: pass, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "fetch-pass")]
            // The account stops after the pass: its session closed, its lease given back.
            if let account { services.append(.init(service: account, serviceName: "telegram-account")) }
            var group = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            group.maximumGracefulShutdownDuration = .seconds(8)
            do {
                try await ServiceGroup(configuration: group).run()
            } catch {
                await sources.shutdown()
                throw error
            }
            await sources.shutdown()
            guard let report = pass.result else { throw CancellationError() }
            progress.finish(report)
            let because: String? = if let holder = report.accountHolder {
                "the account is in use by \(holder), which reads them"
            } else {
                unavailable ?? (account?.accountState == .loggedIn ? nil : "the account is not logged in; run `gazette login`")
            }
            return FetchOutcome(pass: report, leftBecause: because)
        }
    }

    /// The account for one fetch, or nil and why not. A session that was never logged in, or an account another
    /// process holds, is not opened (TDLib is not even loaded).
    private static func fetchAccount(_ config: Configuration, store: any GazetteStore, owner: String, library: AccountLibrary,
                                     registry: MetricRegistry, logger: Logger,
                                     onSaved: @escaping @Sendable (String, Int) -> Void) async throws -> (AccountService?, String?) {
        if config.account.isConfigured {
            if !AccountSettings.hasSession(in: config.account.directory) {
                return (nil, "the account is not logged in; run `gazette login`")
            }
            if let lease = try await store.accountLease(), let holder = lease.owner, (lease.leaseUntil ?? .distantPast) > Date() {
                return (nil, "the account is in use by \(holder), which reads them")
            }
        }
        switch ProcessParts.account(config, store: store, owner: owner, library: library, registry: registry, logger: logger,
                                    onSaved: onSaved) {
        case .success(let account): return (account, nil)
        case .failure(.notConfigured):
            return (nil, "no user account is configured (--telegram-api-id and --telegram-api-hash, then `gazette login`)")
        case .failure(.failed(let error)): return (nil, "the account is off: \(error)")
        }
    }
}
