import GazetteTestSupport
import Foundation
import GazetteCore
import GazetteSources
import GazetteStorage
@testable import GazetteWorker
import GazetteMetrics
import Testing

@Suite("fetch passes", .timeLimit(.minutes(3)))
struct WorkerPassTests {
    @Test func firstPassSavesEverythingSecondSavesNothing() async throws {
        let clock = ManualClock(Date())
        let fake = FakeChannels(channels: ["alphachan", "betachan", "gammachan"], postsPerChannel: 12, now: clock.now())
        try await FakeServer.run(fake.router()) { base in
            try await WorkerHarness.withSQLite { store, _ in
                try await WorkerHarness.subscribe(store, ["alphachan", "betachan", "gammachan"])
                let config = WorkerHarness.config(base: base)
                let registry = MetricRegistry()
                try await WorkerHarness.withSources(config, registry: registry, clock: clock) { sources in
                    let worker = WorkerHarness.worker(store: store, sources: sources, registry: registry, config: config, clock: clock)

                    let first = try await worker.runPass()
                    #expect(first.channels.count == 3)
                    #expect(first.saved == 36)
                    #expect(first.skipped == 0)
                    #expect(first.failed == 0)
                    // 12 posts at 5 a page: 3 pages per channel.
                    #expect(first.channels.allSatisfy { $0.pages == 3 })

                    // Not due again until the next interval.
                    let early = try await worker.runPass()
                    #expect(early.channels.isEmpty)

                    clock.advance(3600)
                    let second = try await worker.runPass()
                    #expect(second.channels.count == 3)
                    #expect(second.saved == 0)
                    // Paging stops at the newest stored post: only the first page is read again.
                    #expect(second.channels.allSatisfy { $0.pages == 1 })
                    #expect(second.skipped == 15)

                    let alpha = try #require(try await store.channel(ref: .telegram(username: "alphachan")))
                    #expect(alpha.metadata.title == "Channel alphachan")
                    #expect(alpha.metadata.subscribers == 12_500)
                    let stored = try await store.posts(channelID: alpha.id, since: .distantPast, until: .distantFuture, limit: 100)
                    #expect(stored.count == 12)
                    #expect(Set(stored.map(\.messageID)) == Set((100..<112).map(Int64.init)))
                    let state = try #require(try await store.fetchState(channelID: alpha.id))
                    #expect(state.lastMessageID == 111)
                    #expect(state.leaseOwner == nil)
                    #expect(state.consecutiveFailures == 0)

                    let text = registry.text()
                    #expect(WorkerHarness.value(text, #"post_fetcher_posts_saved_total{channel="alphachan"}"#) == 12)
                    #expect(WorkerHarness.value(text, #"post_fetcher_posts_skipped_total{channel="alphachan"}"#) == 5)
                    #expect(WorkerHarness.value(text, "post_fetcher_channels_processed_total") == 6)
                    #expect(WorkerHarness.value(text, "post_fetcher_duration_seconds_count") == 3)
                    #expect(WorkerHarness.value(text, "post_fetcher_worker_running") == 0)
                    #expect(WorkerHarness.value(text, "post_fetcher_last_run_timestamp_seconds") > 1_700_000_000)
                    #expect(text.contains(#"post_fetcher_duration_seconds_bucket{le="30.0"}"#) || text.contains(#"post_fetcher_duration_seconds_bucket{le="30"}"#))
                }
            }
        }
    }

    @Test func failingChannelsDoNotStopThePass() async throws {
        let clock = ManualClock(Date())
        let good = ["goodchan1", "goodchan2"]
        let bad = ["brokenchan", "limitedchan", "slowchan", "mangledchan", "missingchan"]
        let fake = FakeChannels(channels: good, postsPerChannel: 7, now: clock.now())
        try await fake.serve { base in
            try await WorkerHarness.withSQLite { store, _ in
                try await WorkerHarness.subscribe(store, good + bad)
                let config = WorkerHarness.config(base: base)
                let registry = MetricRegistry()
                try await WorkerHarness.withSources(config, registry: registry, clock: clock, timeout: 20) { sources in
                    let worker = WorkerHarness.worker(store: store, sources: sources, registry: registry, config: config, clock: clock)

                    let started = clock.now()
                    async let pass = worker.runPass()
                    // `slowchan` never answers; its 20 s pass when the test moves the clock, not on a real timer. Once
                    // every other channel's outcome is recorded, its request is the only one in flight and its timeout
                    // the only sleep on the clock.
                    let others = good + bad.filter { $0 != "slowchan" }
                    guard try await eventually({
                        try await WorkerHarness.recorded(store, others) && fake.gate.waiting == 1 && clock.sleepers == 1
                    }) else {
                        Issue.record("the other channels did not finish, or slowchan's request is not waiting with its timeout")
                        return
                    }
                    clock.advance(19)
                    #expect(clock.sleepers == 1, "not timed out before 20 s")
                    clock.advance(1)
                    let report = try await pass
                    #expect(report.channels.count == 7)
                    #expect(report.saved == 14)
                    let byName = Dictionary(uniqueKeysWithValues: report.channels.map { ($0.channel, $0) })
                    #expect(byName["brokenchan"]?.errorType?.rawValue == "http_error")
                    #expect(byName["limitedchan"]?.errorType?.rawValue == "rate_limited")
                    #expect(byName["slowchan"]?.errorType?.rawValue == "timeout")
                    #expect(byName["mangledchan"]?.errorType?.rawValue == "layout_changed")
                    #expect(byName["missingchan"]?.errorType?.rawValue == "channel_not_found")

                    let text = registry.text()
                    for type in ["http_error", "rate_limited", "timeout", "layout_changed", "channel_not_found"] {
                        #expect(WorkerHarness.value(text, "post_fetcher_errors_total{error_type=\"\(type)\"}") == 1, "\(type)")
                    }
                    #expect(WorkerHarness.value(text, #"post_fetcher_errors_total{error_type="database"}"#) == 0)
                    #expect(WorkerHarness.value(text, #"post_fetcher_posts_saved_total{channel="goodchan1"}"#) == 7)

                    // Retry-After is honoured and the failure recorded with backoff.
                    let limited = try #require(try await store.channel(ref: .telegram(username: "limitedchan")))
                    let state = try #require(try await store.fetchState(channelID: limited.id))
                    #expect(state.consecutiveFailures == 1)
                    #expect(state.lastError?.contains("429") == true)
                    // (These channels failed before the clock moved: their waits count from the pass's start.)
                    #expect(try #require(state.nextAttemptAt).timeIntervalSince(started) >= 599)
                    #expect(state.leaseOwner == nil)
                    let broken = try #require(try await store.channel(ref: .telegram(username: "brokenchan")))
                    let brokenState = try #require(try await store.fetchState(channelID: broken.id))
                    // First failure: 60 s ± 20 %.
                    let wait = try #require(brokenState.nextAttemptAt).timeIntervalSince(started)
                    #expect((47...73).contains(wait))
                }
            }
        }
    }

    /// A `429` asking for a second is waited out and retried in the same pass; one asking for ten minutes still
    /// schedules the channel for later. Before, a 1-second Retry-After cost the channel a whole interval.
    @Test func aShortRetryAfterIsRetriedInTheSamePass() async throws {
        let clock = ManualClock(Date())
        let fake = FakeChannels(channels: ["brieflybusy", "calmchan"], postsPerChannel: 4, now: clock.now())
        try await FakeServer.run(fake.router()) { base in
            try await WorkerHarness.withSQLite { store, _ in
                try await WorkerHarness.subscribe(store, ["brieflybusy", "calmchan", "limitedchan"])
                let config = WorkerHarness.config(base: base)
                #expect(config.sources.http.maxRetryAfterWait == 30, "the default")
                let registry = MetricRegistry()
                try await WorkerHarness.withSources(config, registry: registry, clock: clock) { sources in
                    let worker = WorkerHarness.worker(store: store, sources: sources, registry: registry, config: config, clock: clock)

                    async let pass = worker.runPass()
                    // The one-second wait runs on the clock: the test lets it pass (requests' timeouts are longer).
                    guard try await clock.advancePastSleep(of: 1) else {
                        Issue.record("the pass did not wait out Retry-After: 1 on the clock")
                        return   // leaving the scope cancels the pass
                    }
                    let report = try await pass
                    let byName = Dictionary(uniqueKeysWithValues: report.channels.map { ($0.channel, $0) })
                    #expect(byName["brieflybusy"]?.status == .ok)
                    #expect(byName["brieflybusy"]?.saved == 4)
                    #expect(await fake.log.paths.filter { $0 == "brieflybusy" }.count == 2, "asked twice: the 429, then the page")
                    let busy = try #require(try await store.channel(ref: .telegram(username: "brieflybusy")))
                    #expect(try await store.fetchState(channelID: busy.id)?.consecutiveFailures == 0)
                    // Ten minutes is longer than the 30 s limit: scheduled for later, as before.
                    #expect(byName["limitedchan"]?.errorType == .source(.rateLimited))
                    let text = registry.text()
                    #expect(WorkerHarness.value(text, #"source_requests_total{source="telegram_preview",status="429"}"#) == 2)
                    #expect(WorkerHarness.value(text, #"post_fetcher_errors_total{error_type="rate_limited"}"#) == 1)
                }
            }
        }
    }

    @Test func retryingShortRateLimitsCanBeTurnedOff() async throws {
        let clock = ManualClock(Date())
        let fake = FakeChannels(channels: ["brieflyoff"], postsPerChannel: 3, now: clock.now())
        try await FakeServer.run(fake.router()) { base in
            try await WorkerHarness.withSQLite { store, _ in
                try await WorkerHarness.subscribe(store, ["brieflyoff"])
                var config = WorkerHarness.config(base: base)
                config.sources.http.maxRetryAfterWait = 0
                let registry = MetricRegistry()
                try await WorkerHarness.withSources(config, registry: registry, clock: clock) { sources in
                    let worker = WorkerHarness.worker(store: store, sources: sources, registry: registry, config: config, clock: clock)
                    let report = try await worker.runPass()
                    #expect(report.channels.first?.errorType == .source(.rateLimited))
                    #expect(report.saved == 0)
                    let channel = try #require(try await store.channel(ref: .telegram(username: "brieflyoff")))
                    let state = try #require(try await store.fetchState(channelID: channel.id))
                    // Scheduled no earlier than the server asked.
                    #expect(try #require(state.nextAttemptAt).timeIntervalSince(clock.now()) >= 1)
                }
            }
        }
    }

    @Test func expiredPostsAreDeleted() async throws {
        let clock = ManualClock(Date())
        let fake = FakeChannels(channels: ["retainchan"], postsPerChannel: 6, now: clock.now())
        try await FakeServer.run(fake.router()) { base in
            try await WorkerHarness.withSQLite { store, _ in
                try await WorkerHarness.subscribe(store, ["retainchan"])
                var config = WorkerHarness.config(base: base)
                config.worker.postTTL = 86_400
                let registry = MetricRegistry()
                try await WorkerHarness.withSources(config, registry: registry, clock: clock) { sources in
                    let worker = WorkerHarness.worker(store: store, sources: sources, registry: registry, config: config, clock: clock)
                    #expect(try await worker.runPass().saved == 6)
                    clock.advance(2 * 86_400)
                    let later = try await worker.runPass()
                    #expect(later.expiredDeleted == 6)
                }
            }
        }
    }
}
