import GazetteTestSupport
import Foundation
import GazetteCore
import GazetteSources
import GazetteStorage
import Hummingbird
import Synchronization
import Testing

/// The real `gazette` binary next to the test bundle (built by `swift build` in the main package).
enum GazetteBinary {
    static let path: String? = {
        // An explicit binary (e.g. a dev package testing against the main build) wins.
        if let given = ProcessInfo.processInfo.environment["GAZETTE_TEST_BINARY"], FileManager.default.isExecutableFile(atPath: given) {
            return given
        }
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL { candidates.append(bundle.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for dir in candidates {
            for up in [dir, dir.deletingLastPathComponent(), dir.deletingLastPathComponent().deletingLastPathComponent()] {
                let file = up.appendingPathComponent("gazette").path
                if FileManager.default.isExecutableFile(atPath: file) { return file }
            }
        }
        print("SKIP: process-level worker tests (no gazette binary next to the test bundle; run them from the main package)")
        return nil
    }()
}

/// `slowchan` is slow (4 s) only on its first request, so a second process can finish it after a takeover.
final class SlowOnceTelegram: Sendable {
    let fake: FakeChannels
    private let slowServed = Mutex(false)
    init(fake: FakeChannels) { self.fake = fake }

    func router() -> Router<BasicRequestContext> {
        let router = fake.router()
        let page = SyntheticPreviewPage.html(channel: "slowonce", title: "Slow once",
                                             messages: [.init(id: 7, date: Date().addingTimeInterval(-60), text: "finally")],
                                             before: nil)
        router.get("/s/slowonce") { _, _ -> Response in
            await self.fake.log.record("slowonce")
            let first = self.slowServed.withLock { served in
                defer { served = true }
                return !served
            }
            if first { try await Task.sleep(for: .seconds(4)) }
            return FakeServer.html(page)
        }
        return router
    }
}

@Suite("gazette worker process", .enabled(if: GazetteBinary.path != nil))
struct ProcessTests {
    static func launch(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: GazetteBinary.path!)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in extra { env[k] = v }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits for the exit at most `timeout`; kills the process if it is still running then.
    static func waitForExit(_ process: Process, timeout: Duration) async throws -> Int32? {
        if try await !eventually(timeout: timeout, { !process.isRunning }) {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    @Test func sigtermExitsZeroPromptlyAndReleasesTheChannel() async throws {
        let fake = SlowOnceTelegram(fake: FakeChannels(channels: ["quickchan1", "quickchan2"], postsPerChannel: 4, now: Date()))
        try await FakeServer.run(fake.router()) { base in
            try await WorkerHarness.withSQLite { store, url in
                try await WorkerHarness.subscribe(store, ["quickchan1", "quickchan2", "slowonce"])
                let port = try FreePort.next()
                let worker = try Self.launch(["worker", "--database", url, "--telegram-preview-base-url", base.absoluteString,
                                              "--metrics-port", String(port), "--interval", "1h", "--log-level", "warning"])
                #expect(try await eventually { await fake.fake.log.paths.contains("slowonce") })
                let sent = ContinuousClock.now
                worker.terminate()  // SIGTERM
                let status = try await Self.waitForExit(worker, timeout: .seconds(10))
                #expect(status == 0)
                #expect(ContinuousClock.now - sent < .seconds(10))
                let slow = try #require(try await store.channel(ref: .telegram(username: "slowonce")))
                let state = try await store.fetchState(channelID: slow.id)
                #expect(state?.leaseOwner == nil)
                #expect(state?.consecutiveFailures ?? 0 == 0)
            }
        }
    }

    @Test func sigkillLosesNothingAndTheLeaseIsTakenOver() async throws {
        let fake = SlowOnceTelegram(fake: FakeChannels(channels: ["keptchan1", "keptchan2"], postsPerChannel: 4, now: Date()))
        try await FakeServer.run(fake.router()) { base in
            try await WorkerHarness.withSQLite { store, url in
                try await WorkerHarness.subscribe(store, ["keptchan1", "keptchan2", "slowonce"])
                let env = ["GAZETTE_LEASE_DURATION": "2s"]
                let port = try FreePort.next()
                let worker = try Self.launch(["worker", "--database", url, "--telegram-preview-base-url", base.absoluteString,
                                              "--metrics-port", String(port), "--interval", "1h", "--log-level", "warning"],
                                             environment: env)
                let slow = try #require(try await store.channel(ref: .telegram(username: "slowonce")))
                // Wait until the other channels are saved and slowonce is in flight, then kill -9.
                #expect(try await eventually {
                    let saved = try await store.posts(forUser: 1, since: .distantPast, until: .distantFuture, limits: .init())
                    let inFlight = await fake.fake.log.paths.contains("slowonce")
                    return saved.reduce(0) { $0 + $1.posts.count } == 8 && inFlight
                })
                kill(worker.processIdentifier, SIGKILL)
                worker.waitUntilExit()
                #expect(try await store.fetchState(channelID: slow.id)?.leaseOwner != nil)

                // After the lease expires another process takes the channel over; nothing already saved is lost.
                #expect(try await eventually(timeout: .seconds(20)) {
                    let fetch = try Self.launch(["fetch", "--once", "--database", url, "--telegram-preview-base-url",
                                                 base.absoluteString, "--log-level", "warning"], environment: env)
                    _ = try await Self.waitForExit(fetch, timeout: .seconds(15))
                    return try await store.posts(channelID: slow.id, since: .distantPast, until: .distantFuture, limit: 10).count == 1
                })
                let all = try await store.posts(forUser: 1, since: .distantPast, until: .distantFuture, limits: .init())
                #expect(all.reduce(0) { $0 + $1.posts.count } == 9)
            }
        }
    }
}
