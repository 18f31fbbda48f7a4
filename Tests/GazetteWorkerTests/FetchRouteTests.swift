import GazetteTestSupport
import Foundation
import GazetteCore
import GazetteSources
import GazetteStorage
@testable import GazetteWorker
import GazetteMetrics
import Testing

@Suite("fetch methods without an account")
struct FetchRouteTests {
    @Test("invite links and channels without a public preview wait for login; they are kept and the rest is read")
    func waitingForLogin() async throws {
        let clock = ManualClock(Date())
        let fake = FakeChannels(channels: ["alphachan", "bravochan"], postsPerChannel: 3, now: clock.now())
        try await FakeServer.run(fake.router()) { base in
            try await WorkerHarness.withSQLite { store, _ in
                try await WorkerHarness.subscribe(store, ["alphachan", "hiddenchan", "bravochan"])
                let (invite, _) = try await store.subscribe(userID: 1, ref: try ChannelRef.parse("t.me/+AbCdEfGhIjKl"), tags: [])
                let bravo = try #require(try await store.channel(ref: .telegram(username: "bravochan")))
                try await store.setFetchVia(channelID: bravo.id, .account)
                let config = WorkerHarness.config(base: base)
                let registry = MetricRegistry()
                try await WorkerHarness.withSources(config, registry: registry, clock: clock) { sources in
                    let worker = WorkerHarness.worker(store: store, sources: sources, registry: registry, config: config, clock: clock)

                    let first = try await worker.runPass()
                    let byChannel = Dictionary(uniqueKeysWithValues: first.channels.map { ($0.channel, $0) })
                    #expect(byChannel["alphachan"]?.saved == 3)
                    #expect(byChannel["+AbCdEfGhIjKl"]?.status == .waitingForLogin)
                    #expect(byChannel["+AbCdEfGhIjKl"]?.error == "private channel: only the account can join it")
                    #expect(byChannel["bravochan"]?.status == .waitingForLogin)
                    #expect(first.leftForAccount == ["+AbCdEfGhIjKl", "bravochan"])
                    #expect(first.accountHolder == nil)
                    #expect(byChannel["hiddenchan"]?.errorType == .source(.noPublicPreview))
                    // No request for the channels the account reads.
                    let requested = await fake.log.paths
                    #expect(!requested.contains { $0.hasPrefix("bravochan") || $0.contains("AbCd") })

                    // auto fell back to the account for the channel without a preview.
                    let hidden = try #require(try await store.channel(ref: .telegram(username: "hiddenchan")))
                    let routes = try await store.fetchRoutes(channelIDs: [hidden.id, invite.id])
                    #expect(routes[hidden.id]?.method == .account)
                    #expect(ResolvedRoute.resolve(hidden.ref, route: routes[hidden.id], accountReady: false).summary
                            == "account: waiting for login (t.me shows no public preview)")

                    clock.advance(3600)
                    let second = try await worker.runPass()
                    #expect(second.channels.first { $0.channel == "hiddenchan" }?.status == .waitingForLogin)
                    let state = try #require(try await store.fetchState(channelID: invite.id))
                    #expect(state.lastError == "waiting for login: private channel: only the account can join it")
                    // The channels are kept.
                    #expect(try await store.subscriptionCount(userID: 1) == 4)
                }
            }
        }
    }
}
