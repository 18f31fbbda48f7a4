import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GazetteCore
import GazetteSources
import GazetteTestSupport
import GazetteStorage
import Hummingbird
import Logging

/// `gazette-bench worker`: one fetch pass over N channels served by a local fake t.me, run by the real `gazette`
/// binary (`fetch --once`, then `worker`), measuring wall time, the process's peak RSS and an idle worker's RSS.
struct WorkerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Fetch pass over N channels (1,000 by default) from a local fake t.me: wall time and RSS (bench/results/<name>.json).")

    @Option(help: "Channels to subscribe and fetch.") var channels = 1_000
    @Option(help: "Posts per channel (20 per page).") var posts = 20
    @Option(help: "Seconds the worker idles before its steady-state RSS is read.") var idle = 5
    @Option(help: "The gazette binary (default: next to this one).") var gazette: String?
    @Option(help: "Directory for the JSON result.") var out = "bench/results"
    @Option(help: "Name of the JSON result (worker for 1,000 channels, worker-10k for 10,000 in make bench).") var name = "worker"

    func run() async throws {
        var logger = Logger(label: "gazette.bench.worker")
        logger.logLevel = .warning
        let binary = gazette ?? Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("gazette").path
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw ValidationError("no gazette binary at \(binary)") }
        let dir = try BenchScratch.directory("gazette-worker-bench")
        defer { BenchScratch.remove(dir.path) }
        let names = (0..<channels).map { String(format: "benchchan%05d", $0) }
        let now = Date()
        let pages = Self.pages(names: names, posts: posts, now: now)
        let fetchDB = "sqlite:" + dir.appendingPathComponent("fetch.sqlite").path
        let workerDB = "sqlite:" + dir.appendingPathComponent("worker.sqlite").path
        for url in [fetchDB, workerDB] {
            let store = try await StoreFactory.open(databaseURL: url, logger: logger)
            for name in names { _ = try await store.subscribe(userID: 1, ref: .telegram(username: name), tags: []) }
            await store.shutdown()
        }

        let router = Router()
        router.get("/s/:name") { request, context -> Response in
            guard let list = pages[context.parameters.get("name") ?? ""] else { return Response(status: .notFound) }
            let before = request.uri.queryParameters.get("before").flatMap { Int64($0) }
            let html = before == nil ? list[0] : (list.count > 1 ? list[1] : list[0])
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: html)))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0); continuation.finish() },
                              logger: logger)
        var result: [String: Any] = ["benchmark": "worker pass", "channels": channels, "posts_per_channel": posts,
                                     "target_peak_rss_mb": 64]
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw ValidationError("fake t.me did not start") }
            let base = "http://127.0.0.1:\(port)"

            // 1. gazette fetch --once
            let fetch = try await ChildProcess.run(binary, ["fetch", "--once", "--database", fetchDB,
                                                            "--telegram-preview-base-url", base, "--log-level", "warning"])
            let stored = try await Self.countPosts(fetchDB, names: names, logger: logger)
            result["fetch_once"] = ["wall_s": fetch.wall, "peak_rss_mb": fetch.peakRSSMB, "exit": Int(fetch.status),
                                    "posts_stored": stored, "posts_expected": channels * posts]

            // 2. gazette worker: first pass, then idle
            let metricsPort = 20_000 + Int.random(in: 0..<20_000)
            let worker = try ChildProcess.start(binary, ["worker", "--database", workerDB, "--telegram-preview-base-url", base,
                                                        "--metrics-port", String(metricsPort), "--interval", "1h",
                                                        "--log-level", "warning"])
            let started = ContinuousClock.now
            var passSeconds = -1.0
            while ContinuousClock.now - started < .seconds(600) {
                if let text = await Self.get("http://127.0.0.1:\(metricsPort)/metrics"),
                   let count = Self.value(text, "post_fetcher_duration_seconds_count"), count >= 1 {
                    passSeconds = Self.value(text, "post_fetcher_duration_seconds_sum") ?? -1
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            let passPeak = worker.peakRSSMB()
            try await Task.sleep(for: .seconds(idle))
            var idleSamples: [Double] = []
            for _ in 0..<5 {
                idleSamples.append(worker.currentRSSMB())
                try await Task.sleep(for: .milliseconds(200))
            }
            let exitStarted = ContinuousClock.now
            let status = await worker.terminate()
            let exitSeconds = ContinuousClock.now - exitStarted
            result["worker"] = ["pass_s": (passSeconds * 1000).rounded() / 1000, "peak_rss_mb": passPeak,
                                "idle_rss_mb": percentile(idleSamples, 50),
                                "sigterm_exit": Int(status),
                                "sigterm_to_exit_s": exitSeconds.inSeconds]
            group.cancelAll()
        }
        try writeResult(result, name: name, directory: out)
    }

    static func pages(names: [String], posts: Int, now: Date) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for name in names {
            let messages = (0..<posts).map { i in
                SyntheticPreviewPage.Message(id: Int64(1000 + i), date: now.addingTimeInterval(-Double(posts - i) * 600),
                                             text: "Post \(i) of \(name): " + String(repeating: "lorem ipsum dolor sit amet ", count: 8))
            }
            let newest = Array(messages.suffix(20))
            let older = Array(messages.dropLast(20).suffix(20))
            var list = [SyntheticPreviewPage.html(channel: name, title: "Bench \(name)", messages: newest,
                                                  before: older.isEmpty ? nil : newest.first?.id)]
            if !older.isEmpty { list.append(SyntheticPreviewPage.html(channel: name, title: "Bench \(name)", messages: older, before: nil)) }
            out[name] = list
        }
        return out
    }

    static func countPosts(_ url: String, names: [String], logger: Logger) async throws -> Int {
        let store = try await StoreFactory.open(databaseURL: url, logger: logger)
        var total = 0
        for name in names {
            if let channel = try await store.channel(ref: .telegram(username: name)) {
                total += try await store.posts(channelID: channel.id, since: .distantPast, until: .distantFuture, limit: 10_000).count
            }
        }
        await store.shutdown()
        return total
    }

    static func get(_ url: String) async -> String? {
        do {
            let (data, _) = try await URLSession.shared.data(from: URL(string: url)!)
            return String(decoding: data, as: UTF8.self)
        } catch {
            return nil // not listening yet: the caller polls again
        }
    }

    static func value(_ text: String, _ series: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.dropFirst(series.count + 1)) }
    }
}

/// A child process whose memory is read from /proc while it runs.
final class ChildProcess {
    let process: Process
    init(process: Process) { self.process = process }

    static func start(_ binary: String, _ arguments: [String]) throws -> ChildProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return ChildProcess(process: process)
    }

    /// Runs to the end, sampling the peak RSS (VmHWM) every 20 ms.
    static func run(_ binary: String, _ arguments: [String]) async throws -> (wall: Double, peakRSSMB: Double, status: Int32) {
        let clock = ContinuousClock()
        let began = clock.now
        let child = try start(binary, arguments)
        var peak = 0.0
        while child.process.isRunning {
            peak = max(peak, child.peakRSSMB())
            try await Task.sleep(for: .milliseconds(20))
        }
        let elapsed = clock.now - began
        let wall = elapsed.inSeconds
        return ((wall * 1000).rounded() / 1000, peak, child.process.terminationStatus)
    }

    func peakRSSMB() -> Double { status("VmHWM:") }
    func currentRSSMB() -> Double { status("VmRSS:") }

    private func status(_ key: String) -> Double {
        let text: String
        do {
            text = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        } catch {
            return 0 // the process has exited: no sample
        }
        for line in text.split(separator: "\n") where line.hasPrefix(key) {
            let kb = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
            return (kb / 1024 * 10).rounded() / 10
        }
        return 0
    }

    /// SIGTERM, then wait (at most 15 s) for the exit status.
    func terminate() async -> Int32 {
        process.terminate()
        let deadline = ContinuousClock.now + .seconds(15)
        while process.isRunning, ContinuousClock.now < deadline {
            do { try await Task.sleep(for: .milliseconds(20)) } catch { break }
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
