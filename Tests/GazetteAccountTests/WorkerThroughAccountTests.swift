import Foundation
@testable import GazetteAccount
import GazetteCore
import GazetteMetrics
import GazetteSources
import GazetteStorage
import GazetteTestSupport
import GazetteWorker
import Testing

@Suite("the fetch worker with a user account")
struct WorkerThroughAccountTests {
    typealias H = AccountHarness

    @Test("an invite-link channel is read through the account, counted in post_fetcher_* with its channel label, and remembered")
    func workerPass() async throws {
        try await H.withStore { store in
            let fake = try ScriptedTDJSON(fixture: "invite_flood_updates.json")
            let clock = ManualClock(H.t0 + 300)
            let registry = MetricRegistry()
            let metrics = FetcherMetrics(registry: registry)
            let service = H.service(store: store, fake: fake, owner: "worker-1", clock: clock, registry: registry)
            _ = await service.tick()
            let (channel, _) = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])

            var config = Config()
            config.postTTLDays = 7
            let sources = Sources(config: config, metrics: SourceMetrics(registry: registry), logger: H.logger)
            defer { Task { await sources.shutdown() } }
            let worker = FetchWorker(store: store, sources: sources, metrics: metrics,
                                     settings: WorkerSettings(config: config, owner: "worker-1"), logger: H.logger, clock: clock,
                                     account: service)
            let report = try await worker.runPass()
            #expect(report.channels.first?.channel == "+AbCdEfGhIjKl")
            #expect(report.saved == 2)
            let text = registry.text()
            #expect(text.contains(#"post_fetcher_posts_saved_total{channel="+AbCdEfGhIjKl"} 2"#))
            let route = try await store.fetchRoutes(channelIDs: [channel.id])[channel.id]
            #expect(route?.accountChatID == -1005550001111 && route?.method == .account)
            #expect(try await store.channel(id: channel.id)?.metadata.title == "Private Club")
            #expect(try await store.fetchState(channelID: channel.id)?.lastMessageID == 20)

            // The account's channel is listed as read through it, not waiting.
            let resolved = ResolvedRoute.resolve(channel.ref, route: route, accountReady: try await store.accountLease()?.ready(now: clock.now()) ?? false)
            #expect(!resolved.waitingForLogin)
        }
    }

    @Test("FLOOD_WAIT from TDLib: the channel fails as rate_limited and is not due again before the wait is over")
    func floodWaitSchedulesTheChannel() async throws {
        try await H.withStore { store in
            let fake = try ScriptedTDJSON(fixture: "invite_flood_updates.json")
            let clock = ManualClock(H.t0 + 300)
            let registry = MetricRegistry()
            let service = H.service(store: store, fake: fake, owner: "worker-1", clock: clock, registry: registry)
            _ = await service.tick()
            let (channel, _) = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            var config = Config()
            config.interval = 60
            let sources = Sources(config: config, metrics: SourceMetrics(registry: registry), logger: H.logger)
            defer { Task { await sources.shutdown() } }
            let worker = FetchWorker(store: store, sources: sources, metrics: FetcherMetrics(registry: registry),
                                     settings: WorkerSettings(config: config, owner: "worker-1"), logger: H.logger, clock: clock,
                                     account: service)
            #expect(try await worker.runPass().saved == 2)
            clock.advance(60)
            let flooded = try await worker.runPass()
            #expect(flooded.channels.first?.errorType == .source(.rateLimited))
            let state = try #require(try await store.fetchState(channelID: channel.id))
            #expect((state.nextAttemptAt ?? .distantPast) >= clock.now().addingTimeInterval(120))
            #expect(registry.text().contains(#"post_fetcher_errors_total{error_type="rate_limited"} 1"#))
            // Due again only after the wait: a pass in between claims nothing and sends nothing.
            let sent = fake.sent("getChatHistory").count
            clock.advance(60)
            #expect(try await worker.runPass().channels.isEmpty)
            #expect(fake.sent("getChatHistory").count == sent)
        }
    }

    @Test("a worker leaves the account's channels to the process that owns the account")
    func otherOwner() async throws {
        try await H.withStore { store in
            let clock = ManualClock(H.t0)
            #expect(try await store.claimAccount(owner: "worker-owner", now: clock.now(), lease: 600))
            _ = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            let registry = MetricRegistry()
            let sources = Sources(config: Config(), metrics: SourceMetrics(registry: registry), logger: H.logger)
            defer { Task { await sources.shutdown() } }
            let worker = FetchWorker(store: store, sources: sources, metrics: FetcherMetrics(registry: registry),
                                     settings: WorkerSettings(config: Config(), owner: "worker-other"), logger: H.logger, clock: clock)
            let report = try await worker.runPass()
            #expect(report.channels.isEmpty, "the channel is not claimed, nor marked waiting for login")
            #expect(report.accountHolder == "worker-owner" && report.leftToAccountHolder == ["+AbCdEfGhIjKl"])
            // --channel leaves it alone too.
            let one = try await worker.fetchOne(.invite(hash: "AbCdEfGhIjKl"))
            #expect(one.channels.isEmpty && one.leftForAccount == ["+AbCdEfGhIjKl"])
            #expect(try await store.fetchState(channelID: try #require(try await store.channel(ref: .invite(hash: "AbCdEfGhIjKl"))).id)?
                .lastError == nil, "nothing recorded on a channel another process reads")
            // Once the owner's lease ran out, the channel is this worker's again (and waits for login here).
            clock.advance(601)
            let later = try await worker.runPass()
            #expect(later.channels.first?.status == .waitingForLogin)
            #expect(later.accountHolder == nil && later.leftForAccount == ["+AbCdEfGhIjKl"])
        }
    }
}
