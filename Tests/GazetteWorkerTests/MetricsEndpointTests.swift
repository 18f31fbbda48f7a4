import GazetteTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GazetteCore
@testable import GazetteWorker
import Logging
import Synchronization
import Testing

@Suite("worker /metrics and health")
struct MetricsEndpointTests {
    /// A port nobody listens on right now (bind to 0, read it back, close).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    static func get(_ url: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Nil while nothing listens yet.
    static func tryGet(_ url: String) async -> String? {
        do { return try await get(url).1 } catch { return nil }
    }

    static func promtool(_ text: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["promtool", "check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self))
    }

    @Test func everyFetcherMetricMovesAndPassesPromtool() async throws {
        let fake = FakeTelegram(channels: ["metricchan1", "metricchan2"], postsPerChannel: 6, now: Date())
        try await FakeServer.run(fake.router()) { base in
            try await WorkerHarness.withSQLite { store, _ in
                try await WorkerHarness.subscribe(store, ["metricchan1", "metricchan2", "brokenchan"])
                var settings = WorkerHarness.config(base: base)
                settings.metricsPort = try Self.freePort()
                settings.allowPrivateSources = true
                let config = settings
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask {
                        try await WorkerRunner.runWorker(config: config, store: store, logger: WorkerHarness.logger)
                    }
                    let metricsURL = "http://127.0.0.1:\(config.metricsPort!)/metrics"
                    // Poll until the server listens and the first pass is done.
                    #expect(try await eventually {
                        guard let text = await Self.tryGet(metricsURL) else { return false }
                        return WorkerHarness.value(text, "post_fetcher_duration_seconds_count") == 1
                    })
                    let (status, text) = try await Self.get(metricsURL)
                    #expect(status == 200)
                    #expect(WorkerHarness.value(text, "post_fetcher_channels_processed_total") == 3)
                    #expect(WorkerHarness.value(text, #"post_fetcher_posts_saved_total{channel="metricchan1"}"#) == 6)
                    #expect(text.contains(#"post_fetcher_posts_skipped_total{channel="metricchan1"} 0"#))
                    #expect(WorkerHarness.value(text, #"post_fetcher_errors_total{error_type="http_error"}"#) == 1)
                    #expect(WorkerHarness.value(text, "post_fetcher_duration_seconds_count") == 1)
                    #expect(WorkerHarness.value(text, "post_fetcher_last_run_timestamp_seconds") > 1_700_000_000)
                    #expect(text.contains("# TYPE post_fetcher_worker_running gauge"))
                    #expect(WorkerHarness.value(text, "post_fetcher_worker_running") == 1, "1 while the worker service runs")
                    #expect(text.contains("# TYPE post_fetcher_duration_seconds histogram"))
                    #expect(text.contains(#"source_requests_total{source="telegram_preview",status="5xx"} 1"#))
                    // promtool on the whole exposition the worker process serves.
                    #expect(text.contains("# TYPE post_fetcher_errors_total counter"))
                    let (code, lint) = try Self.promtool(text)
                    #expect(code == 0, "promtool: \(lint)")

                    #expect(try await Self.get("http://127.0.0.1:\(config.metricsPort!)/health/live").0 == 200)
                    #expect(try await Self.get("http://127.0.0.1:\(config.metricsPort!)/health/ready").0 == 200)
                    let (healthStatus, health) = try await Self.get("http://127.0.0.1:\(config.metricsPort!)/health")
                    #expect(healthStatus == 200)
                    #expect(health.contains("\"worker\""))
                    #expect(health.contains("\"database\""))
                    tasks.cancelAll()
                }
            }
        }
    }
}
