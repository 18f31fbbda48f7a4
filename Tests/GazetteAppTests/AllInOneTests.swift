import Foundation
import GazetteApp
import GazetteCore
import GazetteStorage
import GazetteTestSupport
import Testing

@Suite("gazette run")
struct AllInOneTests {
    @Test("server, worker and tools run in one process with one /metrics")
    func allInOne() async throws {
        try await AppHarness.withSQLiteURL { url in
            let store = try await StoreFactory.open(databaseURL: url, logger: AppHarness.logger)
            _ = try await store.subscribe(userID: 7, ref: .telegram(username: "durov"), tags: [])
            await store.shutdown()
            let config = AppHarness.config(database: url)
            try await AppHarness.withProcess(.all, config: config) { endpoints in
                #expect(!endpoints.botEnabled)
                let banner = Banner.text(endpoints, config: config, command: "gazette")
                #expect(banner.contains("\(endpoints.baseURL)/mcp"))
                #expect(banner.contains("gazette channels add"))

                // The worker's first pass runs at start (the unreachable source fails that channel, not the process).
                var metrics = ""
                #expect(try await eventually(timeout: .seconds(30)) {
                    metrics = try await AppHarness.get(endpoints.baseURL + "/metrics").body
                    return metrics.contains("post_fetcher_channels_processed_total 1")
                })
                #expect(metrics.contains("post_fetcher_worker_running"))
                #expect(metrics.contains("mcp_tool_calls_total"))
                #expect(metrics.contains("gazette_build_info"))
                #expect(try await AppHarness.get(endpoints.baseURL + "/health/live").status == 200)

                let reply = try await AppHarness.post(endpoints.baseURL + "/call",
                                                      json: #"{"tool_name": "list_channels", "arguments": {"user_id": 7}}"#)
                #expect(reply.status == 200)
                #expect(reply.body.contains("durov"))
            }
        }
    }

    @Test("the banner names the binary the user can run")
    func bannerInvocation() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-path-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = dir.appendingPathComponent("gazette")
        try Data("#!/bin/sh\n".utf8).write(to: binary)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: binary.path)

        // The `gazette` on PATH is this binary: the short name works.
        #expect(Banner.invocation(argument0: ".build/release/gazette", path: "/nonexistent:\(dir.path)", executable: binary.path) == "gazette")
        // Not on PATH, or another `gazette` first on PATH: the path it was started by.
        #expect(Banner.invocation(argument0: ".build/release/gazette", path: "/nonexistent", executable: binary.path)
                == ".build/release/gazette")
        #expect(Banner.invocation(argument0: "./gazette", path: dir.path, executable: "/opt/other/gazette") == "./gazette")

        let endpoints = GazetteProcess.Endpoints(baseURL: "http://127.0.0.1:8004", botEnabled: false)
        let text = Banner.text(endpoints, config: Configuration(), command: ".build/release/gazette")
        #expect(text.contains(".build/release/gazette channels add --user 1 @durov"))
        #expect(text.contains("make install"))
        #expect(!Banner.text(endpoints, config: Configuration(), command: "gazette").contains("make install"))
    }
}
