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

            try await H.withSources(registry: registry) { sources in
                let worker = FetchWorker(store: store, sources: sources, metrics: metrics,
                                         settings: WorkerSettings(owner: "worker-1"), logger: H.logger, clock: clock,
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
            var settings = WorkerSettings(owner: "worker-1")
            settings.interval = 60
            try await H.withSources(registry: registry) { sources in
                let worker = FetchWorker(store: store, sources: sources, metrics: FetcherMetrics(registry: registry),
                                         settings: settings, logger: H.logger, clock: clock,
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
    }

    @Test("a worker leaves the account's channels to the process that owns the account")
    func otherOwner() async throws {
        try await H.withStore { store in
            let clock = ManualClock(H.t0)
            #expect(try await store.claimAccount(owner: "worker-owner", now: clock.now(), lease: 600))
            _ = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            let registry = MetricRegistry()
            try await H.withSources(registry: registry) { sources in
                let worker = FetchWorker(store: store, sources: sources, metrics: FetcherMetrics(registry: registry),
                                         settings: WorkerSettings(owner: "worker-other"), logger: H.logger, clock: clock)
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

    @Test("a join request awaiting approval: not an error, shown as waiting for approval (channels list, subscriptions, digest), not asked again, read once approved")
    func joinRequestThenApproval() async throws {
        try await H.withStore { store in
            let fake = try ScriptedTDJSON(fixture: "invite_join_requested.json")
            let clock = ManualClock(H.t0 + 600)
            let registry = MetricRegistry()
            let service = H.service(store: store, fake: fake, owner: "worker-1", clock: clock, registry: registry)
            _ = await service.tick()
            let (channel, _) = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            var settings = WorkerSettings(owner: "worker-1")
            settings.interval = 60
            try await H.withSources(registry: registry) { sources in
                let worker = FetchWorker(store: store, sources: sources, metrics: FetcherMetrics(registry: registry),
                                         settings: settings, logger: H.logger, clock: clock,
                                         account: service)

                let first = try await worker.runPass()
                #expect(first.channels.first?.status == .skipped && first.channels.first?.errorType == nil)
                #expect(first.channels.first?.error == "join requested, waiting for approval")
                let route = try #require(try await store.fetchRoutes(channelIDs: [channel.id])[channel.id])
                #expect(route.accountJoin == .requested && route.accountChatID == nil)
                let ready = try await store.accountLease()?.ready(now: clock.now()) ?? false
                #expect(ResolvedRoute.resolve(channel.ref, route: route, accountReady: ready).summary
                        == "account: join requested, waiting for approval (private channel: only the account can join it)")
                #expect(try await store.subscriptions(userID: 1, limit: 10).first?.accountJoin == .requested)
                #expect(registry.text().contains("post_fetcher_errors_total{error_type=\"account\"} 0"))

                // Still waiting: the next pass only checks the link.
                clock.advance(60)
                #expect(try await worker.runPass().channels.first?.error == "join requested, waiting for approval")
                #expect(fake.sent("joinChatByInviteLink").count == 1)

                // Approved: read, and the join state is gone.
                clock.advance(60)
                let approved = try await worker.runPass()
                #expect(approved.saved == 1 && approved.channels.first?.status == .ok)
                let after = try #require(try await store.fetchRoutes(channelIDs: [channel.id])[channel.id])
                #expect(after.accountJoin == nil && after.accountChatID == -1005550002222)
                let row = try #require(try await store.subscriptions(userID: 1, limit: 10).first)
                #expect(row.accountJoin == nil && row.lastError == nil)
                #expect(fake.unscripted.isEmpty)
            }
        }
    }

    @Test("a join that needs a guard bot or was declined fails as an account error with a line saying so",
          arguments: [("invite_join_guard_bot.json", AccountJoin.guardBot), ("invite_join_declined.json", .declined)])
    func joinRefused(fixture: String, expected: AccountJoin) async throws {
        try await H.withStore { store in
            let fake = try ScriptedTDJSON(fixture: fixture)
            let clock = ManualClock(H.t0 + 600)
            let registry = MetricRegistry()
            let service = H.service(store: store, fake: fake, owner: "worker-1", clock: clock, registry: registry)
            _ = await service.tick()
            let (channel, _) = try await store.subscribe(userID: 1, ref: .invite(hash: "AbCdEfGhIjKl"), tags: [])
            try await H.withSources(registry: registry) { sources in
                let worker = FetchWorker(store: store, sources: sources, metrics: FetcherMetrics(registry: registry),
                                         settings: WorkerSettings(owner: "worker-1"), logger: H.logger, clock: clock,
                                         account: service)
                let report = try #require(try await worker.runPass().channels.first)
                #expect(report.status == .failed && report.errorType == .source(.account))
                #expect(report.error == expected.summary)
                #expect(registry.text().contains("post_fetcher_errors_total{error_type=\"account\"} 1"))
                let row = try #require(try await store.subscriptions(userID: 1, limit: 10).first)
                #expect(row.accountJoin == expected && row.lastError == expected.summary)
                let route = try await store.fetchRoutes(channelIDs: [channel.id])[channel.id]
                #expect(ResolvedRoute.resolve(channel.ref, route: route, accountReady: true).summary
                        == "account: \(expected.summary) (private channel: only the account can join it)")
            }
        }
    }
}
