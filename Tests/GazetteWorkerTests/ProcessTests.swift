import GazetteTestSupport
import AsyncHTTPClient
import Foundation
import GazetteCore
import GazetteSources
import GazetteStorage
import GazetteStorageTesting
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
        return nil
    }()

    /// `make test` builds the binary and sets GAZETTE_TEST_REQUIRE_BINARY=1: a missing one fails these tests.
    static let requirement = TestRequirement(name: "BINARY", present: path != nil,
                                             hint: "no gazette binary next to the test bundle; swift build makes one")

    struct Missing: Error, CustomStringConvertible {
        var description: String { "no gazette binary next to the test bundle (GAZETTE_TEST_REQUIRE_BINARY=1); swift build makes one" }
    }

    static func required() throws -> String {
        guard let path else { throw Missing() }
        return path
    }
}

/// `slowonce` is slow (4 s unless told) only on its first request, so a second process can finish it after a takeover.
final class SlowOnceTelegram: Sendable {
    let fake: FakeChannels
    let delay: Duration
    private let slowServed = Mutex(false)
    init(fake: FakeChannels, delay: Duration = .seconds(4)) {
        self.fake = fake
        self.delay = delay
    }

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
            if first { try await Task.sleep(for: self.delay) }
            return FakeServer.html(page)
        }
        return router
    }
}

@Suite("gazette worker process", .enabled(if: GazetteBinary.requirement.enabled(for: "process-level worker tests")))
struct ProcessTests {
    static func launch(_ arguments: [String], environment extra: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try GazetteBinary.required())
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
                #expect(try await eventually(timeout: .seconds(60)) {
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

    /// A database for worker processes: a temp SQLite file, or a fresh database on the test PostgreSQL server.
    static func withDatabase<T>(_ kind: String, _ body: (any GazetteStore, String) async throws -> T) async throws -> T {
        if kind == "sqlite" { return try await WorkerHarness.withSQLite(body) }
        return try await TestDatabases.withPostgresDatabase(prefix: "p") { url in
            let store = try await StoreFactory.open(databaseURL: url, logger: WorkerHarness.logger)
            do {
                let result = try await body(store, url)
                await store.shutdown()
                return result
            } catch {
                await store.shutdown()
                throw error
            }
        }
    }

    static var databases: [String] { ["sqlite"] + (TestDatabases.postgresEnabled("worker process tests") ? ["postgres"] : []) }

    /// Worker A is killed while it holds the lease of a channel; worker B, whose pass found that channel leased and
    /// ended, looks again when the lease runs out and fetches it, long before its one-hour interval.
    @Test(arguments: databases)
    func aKilledWorkersChannelIsTakenOverWhenItsLeaseRunsOut(database: String) async throws {
        // A's first request for slowonce hangs for 60 s: A is killed long before it could finish it itself.
        let fake = SlowOnceTelegram(fake: FakeChannels(channels: ["takechan1", "takechan2"], postsPerChannel: 3, now: Date()),
                                    delay: .seconds(60))
        try await FakeServer.run(fake.router()) { base in
            try await Self.withDatabase(database) { store, url in
                try await WorkerHarness.subscribe(store, ["takechan1", "takechan2", "slowonce"])
                let env = ["GAZETTE_LEASE_DURATION": "5s", "GAZETTE_ALLOW_PRIVATE_SOURCES": "1"]
                func worker(metricsPort: Int) throws -> Process {
                    try Self.launch(["worker", "--database", url, "--telegram-preview-base-url", base.absoluteString,
                                     "--metrics-port", String(metricsPort), "--interval", "1h", "--log-level", "warning"],
                                    environment: env)
                }
                let slow = try #require(try await store.channel(ref: .telegram(username: "slowonce")))
                let a = try worker(metricsPort: try FreePort.next())
                defer { if a.isRunning { kill(a.processIdentifier, SIGKILL) } }
                // A has fetched the quick channels and holds slowonce's lease, mid-fetch.
                #expect(try await eventually {
                    let inFlight = await fake.fake.log.paths.contains("slowonce")
                    let saved = try await store.posts(forUser: 1, since: .distantPast, until: .distantFuture, limits: .init())
                    return inFlight && saved.reduce(0) { $0 + $1.posts.count } == 6
                })
                #expect(try await store.fetchState(channelID: slow.id)?.leaseOwner != nil)
                // B's first pass ends while A's lease is live: nothing is due for B.
                let bPort = try FreePort.next()
                let b = try worker(metricsPort: bPort)
                defer { if b.isRunning { kill(b.processIdentifier, SIGKILL) } }
                #expect(try await eventually {
                    guard let text = await Self.metrics(port: bPort) else { return false }
                    return text.contains("post_fetcher_duration_seconds_count 1")
                })
                #expect(try await store.posts(channelID: slow.id, since: .distantPast, until: .distantFuture, limit: 10).isEmpty)
                kill(a.processIdentifier, SIGKILL)
                a.waitUntilExit()
                // Within the lease (5 s) plus one fetch, not the hour of B's interval.
                #expect(try await eventually(timeout: .seconds(60)) {
                    try await store.posts(channelID: slow.id, since: .distantPast, until: .distantFuture, limit: 10).count == 1
                })
                b.terminate()
                #expect(try await Self.waitForExit(b, timeout: .seconds(10)) == 0)
            }
        }
    }

    /// The text of a worker's `/metrics`, nil while it does not answer.
    static func metrics(port: Int) async -> String? {
        do {
            let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"),
                                                                timeout: .seconds(5))
            return String(buffer: try await response.body.collect(upTo: 4 << 20))
        } catch {
            return nil
        }
    }

    /// Runs the binary to its end (at most `timeout`) and returns its status and standard error.
    static func runCapturing(_ arguments: [String], environment extra: [String: String] = [:],
                             timeout: Duration = .seconds(30)) async throws -> (status: Int32?, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try GazetteBinary.required())
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in extra { env[k] = v }
        process.environment = env
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        let status = try await waitForExit(process, timeout: timeout)
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (status, text)
    }

    /// `--no-migrate` on a database this binary has not migrated: the command and a long-running process both stop
    /// with one line that says to run `gazette migrate`, and nothing is migrated behind the user's back.
    @Test(arguments: databases)
    func noMigrateStopsWithOneLineOnAnUnmigratedDatabase(database: String) async throws {
        try await Self.withEmptyDatabaseURL(database) { url in
            for command in [["channels", "list", "--user", "1"], ["worker", "--metrics-port", String(try FreePort.next())]] {
                let (status, stderr) = try await Self.runCapturing(command + ["--database", url, "--no-migrate", "--log-level", "critical"])
                #expect(status == 1, "\(command): \(stderr)")
                let lines = stderr.split(separator: "\n")
                #expect(lines.count == 1, "\(command): \(stderr)")
                #expect(stderr.contains("run `gazette migrate` first"), "\(command): \(stderr)")
            }
            let store = try StoreFactory.make(databaseURL: url, logger: WorkerHarness.logger)
            #expect(try await store.schemaVersion() == 0)
            await store.shutdown()
            // Without the flag the same command migrates and works.
            let (status, stderr) = try await Self.runCapturing(["channels", "list", "--user", "1", "--database", url])
            #expect(status == 0, "\(stderr)")
        }
    }

    static func withEmptyDatabaseURL<T>(_ kind: String, _ body: (String) async throws -> T) async throws -> T {
        if kind == "postgres" { return try await TestDatabases.withPostgresDatabase(prefix: "p", body) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-nomigrate-\(UUID().uuidString)")
        defer {
            do { try FileManager.default.removeItem(at: dir) } catch { print("note: could not remove \(dir.path): \(error)") }
        }
        return try await body("sqlite:" + dir.appendingPathComponent("gazette.sqlite").path)
    }
}
