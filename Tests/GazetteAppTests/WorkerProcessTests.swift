import Foundation
import GazetteApp
import GazetteCore
import GazetteStorage
import GazetteTestSupport
import Testing

@Suite("gazette worker: /metrics and health")
struct WorkerProcessTests {
    @Test func everyFetcherMetricMovesAndPassesPromtool() async throws {
        let fake = FakeChannels(channels: ["metricchan1", "metricchan2"], postsPerChannel: 6, now: Date())
        try await FakeServer.run(fake.router()) { base in
            try await AppHarness.withSQLiteURL { url in
                let store = try await StoreFactory.open(databaseURL: url, logger: AppHarness.logger)
                for name in ["metricchan1", "metricchan2", "brokenchan"] {
                    _ = try await store.subscribe(userID: 1, ref: .telegram(username: name), tags: [])
                }
                await store.shutdown()
                try await AppHarness.withProcess(.worker, config: AppHarness.config(database: url, preview: base)) { endpoints in
                    let metricsURL = endpoints.baseURL + "/metrics"
                    // Poll until the first pass is done.
                    #expect(try await eventually {
                        guard let text = await AppHarness.tryGet(metricsURL)?.body else { return false }
                        return AppHarness.value(text, "post_fetcher_duration_seconds_count") == 1
                    })
                    let (status, text) = try await AppHarness.get(metricsURL)
                    #expect(status == 200)
                    #expect(AppHarness.value(text, "post_fetcher_channels_processed_total") == 3)
                    #expect(AppHarness.value(text, #"post_fetcher_posts_saved_total{channel="metricchan1"}"#) == 6)
                    #expect(text.contains(#"post_fetcher_posts_skipped_total{channel="metricchan1"} 0"#))
                    #expect(AppHarness.value(text, #"post_fetcher_errors_total{error_type="http_error"}"#) == 1)
                    #expect(AppHarness.value(text, "post_fetcher_last_run_timestamp_seconds") > 1_700_000_000)
                    #expect(text.contains("# TYPE post_fetcher_worker_running gauge"))
                    #expect(AppHarness.value(text, "post_fetcher_worker_running") == 1, "1 while the worker service runs")
                    #expect(text.contains("# TYPE post_fetcher_duration_seconds histogram"))
                    #expect(text.contains(#"source_requests_total{source="telegram_preview",status="5xx"} 1"#))
                    // promtool on the whole exposition the worker process serves.
                    #expect(text.contains("# TYPE post_fetcher_errors_total counter"))
                    let (code, lint) = try AppHarness.promtool(text)
                    #expect(code == 0, "promtool: \(lint)")

                    #expect(try await AppHarness.get(endpoints.baseURL + "/health/live").status == 200)
                    #expect(try await AppHarness.get(endpoints.baseURL + "/health/ready").status == 200)
                    let health = try await AppHarness.get(endpoints.baseURL + "/health")
                    #expect(health.status == 200)
                    #expect(health.body.contains("\"worker\""))
                    #expect(health.body.contains("\"database\""))
                }
            }
        }
    }
}
