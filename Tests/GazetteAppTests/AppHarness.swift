import AsyncHTTPClient
import Foundation
import GazetteApp
import GazetteCore
import GazetteStorage
import GazetteTestSupport
import Logging
import NIOCore
import Testing

/// Runs real Gazette processes (as `GazetteProcess.run`, in this test process) against loopback fakes.
enum AppHarness {
    static let logger: Logger = {
        var l = Logger(label: "app-test")
        l.logLevel = .critical
        return l
    }()

    /// A fresh SQLite URL in a temp directory, removed afterwards.
    static func withSQLiteURL<T>(_ body: (String) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-app-\(UUID().uuidString)")
        defer {
            do { try FileManager.default.removeItem(at: dir) } catch { print("note: could not remove \(dir.path): \(error)") }
        }
        return try await body("sqlite:" + dir.appendingPathComponent("gazette.sqlite").path)
    }

    /// A configuration on free ports (port 0) that fetches from `preview`.
    static func config(database: String, preview: URL = URL(string: "http://127.0.0.1:9")!) -> Configuration {
        var config = Configuration()
        config.databaseURL = database
        config.server.port = 0
        config.metricsPort = 0
        config.sources.previewBaseURL = preview
        config.sources.http.allowPrivateSources = true
        config.sources.maxPages = 10
        return config
    }

    /// Starts the process, waits until it listens, runs `body` with its endpoints, then stops it (as SIGTERM would)
    /// and returns what `body` returned. A process that ends before it listens fails the test with its error.
    static func withProcess<T: Sendable>(_ role: GazetteProcess.Role, config: Configuration, options: GazetteProcess.Options = .init(),
                                         _ body: @Sendable (GazetteProcess.Endpoints) async throws -> T) async throws -> T {
        let (listening, continuation) = AsyncStream<GazetteProcess.Endpoints>.makeStream()
        let running = Task {
            defer { continuation.finish() }
            try await GazetteProcess.run(role, config: config, options: options, logger: logger) { continuation.yield($0) }
        }
        var iterator = listening.makeAsyncIterator()
        guard let endpoints = await iterator.next() else {
            try await running.value
            throw HarnessError.notListening
        }
        do {
            let result = try await body(endpoints)
            running.cancel()
            _ = await running.result
            return result
        } catch {
            running.cancel()
            _ = await running.result
            throw error
        }
    }

    enum HarnessError: Error { case notListening }

    static func get(_ url: String) async throws -> (status: Int, body: String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 8 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    /// Nil while nothing answers.
    static func tryGet(_ url: String) async -> (status: Int, body: String)? {
        do { return try await get(url) } catch { return nil }
    }

    static func post(_ url: String, json: String) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 8 << 20)))
    }

    /// The value of one series in Prometheus text, 0 when absent.
    static func value(_ text: String, _ series: String) -> Double {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1)) ?? -1
        }
        return 0
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
}
