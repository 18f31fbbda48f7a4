import Foundation
import GazetteCore
@testable import GazetteStorage
import Testing

@Suite("Store contract: leases")
struct LeaseContractTests {
    @Test("only subscribed, due, unleased channels are claimed; leases expire and are released", arguments: StoreKind.available)
    func claimRules(kind: StoreKind) async throws {
        try await withFreshStore(kind) { store in
            let (a, _) = try await store.subscribe(userID: 1, ref: tg("lease_alpha"), tags: [])
            let (b, _) = try await store.subscribe(userID: 1, ref: tg("lease_bravo"), tags: [])
            _ = try await store.upsertChannel(tg("lease_orphan"))  // nobody subscribed: never fetched

            let first = try await store.claimDueChannels(owner: "w1", now: t0, lease: 300, limit: 10)
            #expect(Set(first.map(\.id)) == [a.id, b.id])
            #expect(try await store.fetchState(channelID: a.id)?.leaseOwner == "w1")
            #expect(try await store.fetchState(channelID: a.id)?.leaseUntil == t0 + 300)
            #expect(try await store.claimDueChannels(owner: "w2", now: t0 + 10, lease: 300, limit: 10).isEmpty)

            // w1 finishes a: scheduled in an hour, lease released. b's lease expires and w2 takes it over.
            try await store.recordFetch(channelID: a.id, owner: "w1",
                                        outcome: .success(at: t0 + 20, nextAttemptAt: t0 + 3600, etag: nil, lastModified: nil))
            let takeover = try await store.claimDueChannels(owner: "w2", now: t0 + 301, lease: 300, limit: 10)
            #expect(takeover.map(\.id) == [b.id])
            // w1's late release must not free w2's lease.
            try await store.releaseLease(channelID: b.id, owner: "w1")
            #expect(try await store.fetchState(channelID: b.id)?.leaseOwner == "w2")
            try await store.releaseLease(channelID: b.id, owner: "w2")
            #expect(try await store.fetchState(channelID: b.id)?.leaseOwner == nil)

            // Failures count up and schedule the retry.
            _ = try await store.claimDueChannels(owner: "w2", now: t0 + 400, lease: 300, limit: 10)
            try await store.recordFetch(channelID: b.id, owner: "w2", outcome: .failure(at: t0 + 401, error: "HTTP 500", nextAttemptAt: t0 + 500))
            let failed = try #require(try await store.fetchState(channelID: b.id))
            #expect(failed.consecutiveFailures == 1)
            #expect(failed.lastError == "HTTP 500")
            #expect(failed.leaseOwner == nil)
            #expect(try await store.claimDueChannels(owner: "w2", now: t0 + 450, lease: 300, limit: 10).isEmpty)
            #expect(try await store.claimDueChannels(owner: "w2", now: t0 + 500, lease: 300, limit: 10).map(\.id) == [b.id])
        }
    }

    @Test("concurrent claimers on two store instances never get the same channel", arguments: StoreKind.available)
    func concurrentClaimers(kind: StoreKind) async throws {
        try await withFreshStores(kind, stores: 2) { stores in
            var all: Set<Int64> = []
            for i in 0..<40 {
                let (c, _) = try await stores[0].subscribe(userID: 1, ref: tg("concurrent_\(i)"), tags: [])
                all.insert(c.id)
            }
            let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for worker in 0..<6 {
                    let store = stores[worker % 2]
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let got = try await store.claimDueChannels(owner: "worker-\(worker)", now: t0, lease: 600, limit: 3)
                            if got.isEmpty { return mine }
                            mine += got.map(\.id)
                        }
                    }
                }
                var result: [[Int64]] = []
                for try await ids in group { result.append(ids) }
                return result
            }
            let flat = claims.flatMap { $0 }
            #expect(flat.count == all.count, "each channel claimed exactly once: \(claims)")
            #expect(Set(flat) == all)
        }
    }
}
