import ArgumentParser
import Foundation
import GazetteCore
import GazettePDF

/// `gazette-bench pdf`: the reference digest rendered by Gazette and by WeasyPrint in the same run.
/// Warm per-document median (in process), cold process time and peak RSS for both, and the ratios.
struct PDFBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pdf",
        abstract: "Gazette's PDF renderer vs WeasyPrint on the reference digest (bench/results/pdf.json).",
        subcommands: [PDFCompare.self, PDFRenderOnce.self, PDFImages.self],
        defaultSubcommand: PDFCompare.self
    )
}

struct PDFCompare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compare", abstract: "Run the comparison (default).")

    @Option(help: "Markdown workload.") var markdown = "bench/pdf/reference-digest.md"
    @Option(help: "Warm renders measured in process (after one warm-up).") var runs = 30
    @Option(help: "Cold processes measured per engine.") var coldRuns = 5
    @Option(help: "Warm WeasyPrint renders.") var weasyprintRuns = 10
    @Flag(help: "Measure Gazette only.") var skipWeasyprint = false
    @Option(help: "Directory for pdf.json.") var resultsDirectory = "bench/results"

    func run() async throws {
        let source = try String(contentsOfFile: markdown, encoding: .utf8)
        let loadBefore = Self.loadAverage()
        let info = PDFDocumentInfo(title: "Reference digest", creationDate: Date(timeIntervalSince1970: 1_715_904_000))

        // Warm, in process: one renderer reused, as the server does.
        let renderer = PDFRenderer()
        let firstStart = ContinuousClock.now
        let first = try renderer.render(markdown: source, info: info)
        let firstMs = Self.milliseconds(ContinuousClock.now - firstStart)
        var warm: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            _ = try renderer.render(markdown: source, info: info)
            warm.append(Self.milliseconds(ContinuousClock.now - start))
        }

        // Cold: a fresh process per document. The headline is `gazette-render`, the renderer alone (what the
        // target is about); `gazette render`, the all-in-one binary with the server, database and network
        // libraries mapped, is measured beside it. One process rendering `runs` documents shows the warm RSS.
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let binDirectory = executable.deletingLastPathComponent()
        let output = BenchScratch.file("gazette-bench", suffix: ".pdf")
        defer { BenchScratch.remove(output) }
        let renderArguments = [markdown, "--out", output, "--creation-date", "2024-05-17T00:00:00Z"]
        let standalone = try Self.coldRuns(coldRuns, [binDirectory.appendingPathComponent("gazette-render").path] + renderArguments)
        let allInOne = try Self.coldRuns(coldRuns, [binDirectory.appendingPathComponent("gazette").path, "render"] + renderArguments)
        let warmProcess = try Self.timedProcess([executable.path, "pdf", "render-once", markdown, "--runs", "\(runs + 1)"])

        var gazette: [String: Any] = [
            "engine": "gazette (cmark-gfm + pango/cairo)",
            "warm_median_ms": percentile(warm, 50), "warm_p90_ms": percentile(warm, 90), "warm_min_ms": warm.min() ?? 0,
            "first_render_ms": firstMs, "runs": runs,
            "cold_process": "gazette-render (the renderer alone; Swift runtime linked statically)",
            "cold_process_s": standalone.seconds, "cold_peak_rss_mb": standalone.rssMB,
            "all_in_one_cold_process_s": allInOne.seconds, "all_in_one_cold_peak_rss_mb": allInOne.rssMB,
            "warm_peak_rss_mb": warmProcess.rssMB,
            "warm_process": "gazette-bench (all-in-one libraries), \(runs + 1) documents",
            "pages": first.pages, "pdf_bytes": first.data.count,
        ]
        gazette["cold_runs"] = coldRuns
        var result: [String: Any] = [
            "workload": ["file": markdown, "bytes": source.utf8.count, "sha256": Self.sha256(markdown) ?? "unavailable"],
            "machine": ["cores": ProcessInfo.processInfo.activeProcessorCount, "load_average_before": loadBefore],
            "gazette": gazette,
            "targets": ["warm_speedup_at_least": 30, "gazette_peak_rss_mb_at_most": 30],
        ]

        if !skipWeasyprint {
            let wp = try Self.weasyPrint(markdown: markdown, runs: weasyprintRuns, coldRuns: min(coldRuns, 3))
            result["weasyprint"] = wp
            func ratio(_ key: String) -> Double {
                guard let theirs = wp[key] as? Double, let ours = gazette[key] as? Double, ours > 0 else { return .nan }
                return (theirs / ours * 10).rounded() / 10
            }
            result["ratios"] = [
                "warm_speedup": ratio("warm_median_ms"),
                "cold_speedup": ratio("cold_process_s"),
                "cold_rss_ratio": ratio("cold_peak_rss_mb"),
                "warm_rss_ratio": ratio("warm_peak_rss_mb"),
            ]
            let speedup = ratio("warm_median_ms")
            result["meets_targets"] = [
                "warm_speedup": speedup >= 30,
                "peak_rss": standalone.rssMB <= 30,
            ]
        }
        result["machine"] = ["cores": ProcessInfo.processInfo.activeProcessorCount,
                             "load_average_before": loadBefore, "load_average_after": Self.loadAverage()]
        try writeResult(result, name: "pdf", directory: resultsDirectory)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        duration.inSeconds * 1_000
    }

    static func loadAverage() -> String {
        do {
            return try String(contentsOfFile: "/proc/loadavg", encoding: .utf8).split(separator: " ").prefix(3).joined(separator: " ")
        } catch {
            return "unavailable: \(error)"
        }
    }

    /// Medians of wall time and peak RSS over `count` runs of one command.
    static func coldRuns(_ count: Int, _ arguments: [String]) throws -> (seconds: Double, rssMB: Double) {
        let runs = try (0..<max(count, 1)).map { _ in try timedProcess(arguments) }
        return (percentile(runs.map(\.seconds), 50), percentile(runs.map(\.rssMB), 50))
    }

    /// Wall time and peak RSS of one child process, measured with GNU time.
    static func timedProcess(_ arguments: [String]) throws -> (seconds: Double, rssMB: Double) {
        let start = ContinuousClock.now
        let (status, _, stderr) = try run("/usr/bin/time", ["-f", "%M"] + arguments)
        let seconds = milliseconds(ContinuousClock.now - start) / 1_000
        guard status == 0, let kilobytes = stderr.split(separator: "\n").last.flatMap({ Double($0) }) else {
            throw ValidationError("\(arguments.joined(separator: " ")) failed (status \(status)): \(stderr)")
        }
        return (seconds, kilobytes / 1_024)
    }

    static func weasyPrint(markdown: String, runs: Int, coldRuns: Int) throws -> [String: Any] {
        let (status, stdout, stderr) = try run("/usr/bin/env", ["python3", "bench/pdf/weasyprint_bench.py", markdown,
                                                                "--runs", "\(runs)", "--cold-runs", "\(coldRuns)"])
        guard status == 0, let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
            throw ValidationError("WeasyPrint benchmark failed (status \(status)): \(stderr.suffix(2_000))")
        }
        return object
    }

    static func sha256(_ path: String) -> String? {
        do {
            let (status, stdout, _) = try run("/usr/bin/env", ["sha256sum", path])
            return status == 0 ? stdout.split(separator: " ").first.map(String.init) : nil
        } catch {
            print("note: sha256sum failed: \(error)")
            return nil
        }
    }

    /// Runs a tool to completion; stderr goes to a temporary file so neither pipe can fill up and block.
    static func run(_ tool: String, _ arguments: [String]) throws -> (Int32, String, String) {
        let errorPath = URL(fileURLWithPath: BenchScratch.file("gazette-bench", suffix: ".err"))
        guard FileManager.default.createFile(atPath: errorPath.path, contents: nil),
              let errorHandle = FileHandle(forWritingAtPath: errorPath.path) else {
            throw ValidationError("cannot create \(errorPath.path)")
        }
        defer { BenchScratch.remove(errorPath.path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = errorHandle
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errorHandle.close()
        let stderr = String(decoding: try Data(contentsOf: errorPath), as: UTF8.self)
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), stderr)
    }

}

/// `gazette-bench pdf render-once FILE [--out X] [--runs N]`: the process the cold measurement times.
struct PDFRenderOnce: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "render-once", abstract: "Render a file (for cold timing).")

    @Argument var file: String
    @Option var out: String?
    @Option var runs = 1

    func run() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let renderer = PDFRenderer()
        let info = PDFDocumentInfo(title: "Reference digest", creationDate: Date(timeIntervalSince1970: 1_715_904_000))
        var last: RenderedPDF?
        for _ in 0..<max(runs, 1) { last = try renderer.render(markdownData: data, info: info) }
        if let out, let last { try last.data.write(to: URL(fileURLWithPath: out)) }
        print("pages: \(last?.pages ?? 0)")
    }
}
