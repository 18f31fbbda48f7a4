import Foundation
import GazetteCore
import GazetteTestSupport
@testable import GazetteObservability
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("Metrics and health endpoints")
struct ObservabilityTests {
    private func app(_ observability: Observability) -> some ApplicationProtocol {
        let router = Router()
        observability.addRoutes(to: router)
        return Application(router: router)
    }

    @Test("/metrics serves build info and process metrics in the Prometheus text format")
    func metrics() async throws {
        let observability = Observability()
        observability.registry.makeCounter(name: "post_fetcher_channels_processed_total", help: "Channels.").increment(by: Int64(3))
        try await app(observability).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let body = String(buffer: response.body)
                #expect(body.contains("gazette_build_info{version=\"\(GazetteVersion.current)\"} 1"))
                #expect(body.contains("post_fetcher_channels_processed_total 3"))
                #expect(body.contains("# TYPE process_resident_memory_bytes gauge"))
                let rss = body.split(separator: "\n").first { $0.hasPrefix("process_resident_memory_bytes ") }
                let value = rss.flatMap { Double($0.split(separator: " ")[1]) } ?? 0
                #expect(value > 1_000_000, "resident memory should be read from /proc")
                func sample(_ name: String) -> Double? {
                    body.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) }
                }
                #expect((sample("process_open_fds") ?? 0) >= 3, "stdin, stdout, stderr at least")
                #expect((sample("process_cpu_seconds_total") ?? 0) > 0, "CPU time from getrusage")
                #expect((sample("process_virtual_memory_bytes") ?? 0) > value)
            }
        }
    }

    @Test("/health/ready is 503 while a check fails and 200 once it passes; gazette_ready follows")
    func readiness() async throws {
        let observability = Observability()
        let database = DatabaseFlag()
        observability.health.register("database") {
            await database.up ? HealthCheckResult(ok: true, detail: "ping ok") : HealthCheckResult(ok: false, detail: "connection refused")
        }
        try await app(observability).test(.router) { client in
            try await client.execute(uri: "/health/live", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let report = try JSONDecoder().decode(HealthReport.self, from: Data(buffer: response.body))
                #expect(report.checks["database"]?.detail == "connection refused")
                #expect(!report.ready)
            }
            try await client.execute(uri: "/metrics", method: .get) { #expect(String(buffer: $0.body).contains("gazette_ready 0")) }
            await database.set(true)
            try await client.execute(uri: "/health/ready", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/health", method: .get) { response in
                let report = try JSONDecoder().decode(HealthReport.self, from: Data(buffer: response.body))
                #expect(report.status == "ok")
                #expect(report.version == GazetteVersion.current)
            }
            try await client.execute(uri: "/metrics", method: .get) { #expect(String(buffer: $0.body).contains("gazette_ready 1")) }
        }
    }

    @Test("a check that hangs counts as failed after the timeout", .timeLimit(.minutes(3)))
    func hangingCheck() async throws {
        let clock = ManualClock()
        let gate = Gate()
        defer { gate.release() }
        let health = HealthRegistry(timeout: .seconds(3), clock: clock)
        health.register("stuck") {
            await gate.wait()
            return HealthCheckResult(ok: true, detail: "late")
        }
        async let report = health.report()
        // The check hangs at the gate; its timeout runs on the clock, which the test moves past it.
        #expect(try await eventually { gate.waiting == 1 && clock.sleepers == 1 })
        clock.advance(2.9)
        #expect(clock.sleepers == 1, "not before the timeout")
        clock.advance(0.1)
        let finished = await report
        #expect(!finished.ready)
        #expect(finished.checks["stuck"]?.detail.contains("timed out") == true)
    }

    @Test("the redactor removes configured secrets and bot tokens from any line")
    func redaction() {
        let redactor = Redactor(secrets: ["sk-live-abcdef", "dbpass"])
        let line = redactor.redact("POST https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe key=sk-live-abcdef pw=dbpass")
        #expect(!line.contains("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"))
        #expect(!line.contains("sk-live-abcdef"))
        #expect(!line.contains("dbpass"))
        #expect(line.contains("bot***"))
    }
}

private actor DatabaseFlag {
    var up = false
    func set(_ value: Bool) { up = value }
}

@Suite("Process metrics readers")
struct ProcessMetricsReaderTests {
    @Test func parsesProcIntegers() {
        #expect(ProcessMetrics.integer(ArraySlice("123\n".utf8)) == 123)
        #expect(ProcessMetrics.integer(ArraySlice("12a".utf8)) == nil)
        #expect(ProcessMetrics.integer(ArraySlice("".utf8)) == nil)
    }

    @Test func readsStatmAndCountsDescriptors() throws {
        let statm = try #require(ProcessMetrics.readSmallFile("/proc/self/statm"))
        #expect(statm.split(separator: UInt8(ascii: " ")).count >= 2)
        #expect(ProcessMetrics.readSmallFile("/proc/self/no-such-file") == nil)
        #expect((ProcessMetrics.countEntries("/proc/self/fd") ?? 0) >= 3)
        #expect(ProcessMetrics.countEntries("/no/such/directory") == nil)
    }
}
