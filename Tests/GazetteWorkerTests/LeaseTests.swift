import GazetteTestSupport
import Foundation
import GazetteCore
import GazetteSources
import GazetteStorage
import GazetteStorageTesting
@testable import GazetteWorker
import Logging
import GazetteMetrics
import Testing

@Suite("leases between workers")
struct LeaseTests {
    /// SQLite always; PostgreSQL too when a test server is configured (or required: `make test`).
    static var databases: [String] {
        ["sqlite"] + (TestDatabases.postgresEnabled("lease tests") ? ["postgres"] : [])
    }

    /// Two stores on one fresh database (two "processes").
    static func withTwoStores<T>(_ kind: String, _ body: (any GazetteStore, any GazetteStore) async throws -> T) async throws -> T {
        let logger = WorkerHarness.logger
        if kind == "sqlite" {
            return try await WorkerHarness.withSQLite { first, url in
                let second = try await StoreFactory.open(databaseURL: url, logger: logger)
                do {
                    let r = try await body(first, second)
                    await second.shutdown()
                    return r
                } catch {
                    await second.shutdown()
                    throw error
                }
            }
        }
        return try await TestDatabases.withPostgresDatabase(prefix: "w", logger: logger) { url in
            let a = try await StoreFactory.open(databaseURL: url, logger: logger)
            let b = try await StoreFactory.open(databaseURL: url, logger: logger)
            do {
                let r = try await body(a, b)
                await a.shutdown()
                await b.shutdown()
                return r
            } catch {
                await a.shutdown()
                await b.shutdown()
                throw error
            }
        }
    }

    @Test(arguments: databases)
    func twoWorkersFetchEachChannelOnce(database: String) async throws {
        let clock = ManualClock(Date())
        let names = (1...24).map { "sharedchan\($0)" }
        let fake = FakeChannels(channels: names, postsPerChannel: 3, now: clock.now())
        try await FakeServer.run(fake.router()) { base in
            try await Self.withTwoStores(database) { storeA, storeB in
                try await WorkerHarness.subscribe(storeA, names)
                let config = WorkerHarness.config(base: base)
                let registry = MetricRegistry()
                try await WorkerHarness.withSources(config, registry: registry, clock: clock) { sources in
                    let a = WorkerHarness.worker(store: storeA, sources: sources, registry: MetricRegistry(), config: config, clock: clock, owner: "worker-a")
                    let b = WorkerHarness.worker(store: storeB, sources: sources, registry: MetricRegistry(), config: config, clock: clock, owner: "worker-b")
                    async let ra = a.runPass()
                    async let rb = b.runPass()
                    let (reportA, reportB) = try await (ra, rb)
                    let fetched = reportA.channels.map(\.channel) + reportB.channels.map(\.channel)
                    #expect(fetched.count == 24)
                    #expect(Set(fetched) == Set(names))
                    #expect(reportA.saved + reportB.saved == 72)
                    // Each channel's first page was requested exactly once.
                    let firstPages = await fake.log.paths.filter { !$0.contains("?") }
                    #expect(firstPages.count == 24)
                    #expect(Set(firstPages).count == 24)
                }
            }
        }
    }

    @Test func aCrashedWorkersChannelsAreTakenOverAfterTheLease() async throws {
        let clock = ManualClock(Date())
        let fake = FakeChannels(channels: ["orphanchan", "otherchan"], postsPerChannel: 4, now: clock.now())
        try await FakeServer.run(fake.router()) { base in
            try await WorkerHarness.withSQLite { store, _ in
                try await WorkerHarness.subscribe(store, ["orphanchan", "otherchan"])
                // A worker claimed both channels and died (SIGKILL) before saving anything.
                let claimed = try await store.claimDueChannels(owner: "dead-worker", now: clock.now(), lease: 300, limit: 10)
                #expect(claimed.count == 2)

                let config = WorkerHarness.config(base: base)
                let registry = MetricRegistry()
                try await WorkerHarness.withSources(config, registry: registry, clock: clock) { sources in
                    let worker = WorkerHarness.worker(store: store, sources: sources, registry: registry, config: config, clock: clock)
                    #expect(try await worker.runPass().channels.isEmpty)   // still leased
                    clock.advance(301)
                    let report = try await worker.runPass()
                    #expect(report.channels.count == 2)
                    #expect(report.saved == 8)
                }
            }
        }
    }
}
