import ArgumentParser
import Foundation
import GazettePDF

/// `gazette-bench pdf images`: the reference digest with 20 photos (1280 px JPEGs, ~95 KB each, drawn by
/// `scripts/make-test-images.py --photos`), two per channel section. Warm renders in process (pictures read from disk
/// each time through `LocalImageFiles`, as `gazette-render` does), cold `gazette-render` processes (wall time and peak
/// RSS), the PDF's size and what `pdfimages -list` finds in it. Writes `bench/results/pdf-images.json`.
struct PDFImages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "images", abstract: "The reference digest with 20 photos (bench/results/pdf-images.json).")

    @Option(help: "Markdown workload the photos are added to.") var markdown = "bench/pdf/reference-digest.md"
    @Option(help: "Python with Pillow (the test venv) that runs scripts/make-test-images.py.") var python = ".venv/bin/python"
    @Option(help: "Photos in the digest.") var photos = 20
    @Option(help: "Warm renders measured in process (after one warm-up).") var runs = 30
    @Option(help: "Cold gazette-render processes measured.") var coldRuns = 5
    @Option(help: "The gazette-render binary (default: beside this one).") var renderBinary: String?
    @Option(help: "Also keep the PDF here.") var keepPDF: String?
    @Option(help: "Directory for pdf-images.json.") var resultsDirectory = "bench/results"

    func run() async throws {
        let directory = try BenchScratch.directory("gazette-bench-photos")
        defer { BenchScratch.remove(directory.path) }
        let (status, _, stderr) = try PDFCompare.run(python, ["scripts/make-test-images.py", "--photos", directory.path, "--count", "\(photos)"])
        guard status == 0 else { throw ValidationError("making the photos failed (status \(status)): \(stderr)") }

        let reference = try String(contentsOfFile: markdown, encoding: .utf8)
        let workload = Self.withPhotos(reference, count: photos)
        let file = directory.appendingPathComponent("digest-with-photos.md")
        try workload.write(to: file, atomically: true, encoding: .utf8)
        let loadBefore = PDFCompare.loadAverage()
        let info = PDFDocumentInfo(title: "Reference digest with photos", creationDate: Date(timeIntervalSince1970: 1_715_904_000))
        let images = LocalImageFiles(baseDirectory: directory.path)

        // Warm, in process: one renderer reused, as the server does; the text-only digest beside it.
        let renderer = PDFRenderer()
        let first = try renderer.render(markdown: workload, info: info, style: PDFStyle(), images: images)
        guard first.imageSkips.isEmpty else { throw ValidationError("pictures were skipped: \(first.imageSkips)") }
        var warm: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            _ = try renderer.render(markdown: workload, info: info, style: PDFStyle(), images: images)
            warm.append(PDFCompare.milliseconds(ContinuousClock.now - start))
        }
        _ = try renderer.render(markdown: reference, info: info)
        var textOnly: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            _ = try renderer.render(markdown: reference, info: info)
            textOnly.append(PDFCompare.milliseconds(ContinuousClock.now - start))
        }

        // Cold: a fresh gazette-render per document, with and without the photos.
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let render = renderBinary ?? executable.deletingLastPathComponent().appendingPathComponent("gazette-render").path
        let output = directory.appendingPathComponent("out.pdf").path
        let date = ["--creation-date", "2024-05-17T00:00:00Z"]
        let cold = try PDFCompare.coldRuns(coldRuns, [render, file.path, "--out", output] + date)
        let coldTextOnly = try PDFCompare.coldRuns(coldRuns, [render, markdown, "--out", output + ".text.pdf"] + date)
        let (renderStatus, _, renderError) = try PDFCompare.run(render, [file.path, "--out", output] + date)
        guard renderStatus == 0 else { throw ValidationError("gazette-render failed (status \(renderStatus)): \(renderError)") }
        let rendered = try Data(contentsOf: URL(fileURLWithPath: output))
        if let keepPDF { try rendered.write(to: URL(fileURLWithPath: keepPDF)) }

        // What the PDF holds: one image per photo, each the 1280 × 853 JPEG as it is.
        let (listed, listing, _) = try PDFCompare.run("/usr/bin/env", ["pdfimages", "-list", output])
        let rows = listed == 0 ? listing.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ", omittingEmptySubsequences: true) } : []
        let photoRows = rows.filter { $0.count >= 9 && $0[3] == "1280" && $0[4] == "853" }
        let allJPEG = !photoRows.isEmpty && photoRows.allSatisfy { $0[8] == "jpeg" }

        let warmMedian = percentile(warm, 50)
        let result: [String: Any] = [
            "workload": ["file": markdown, "photos": photos, "photo": "1280 × 853 JPEG q85 (scripts/make-test-images.py --photos)",
                         "photo_bytes_total": try Self.totalBytes(directory)],
            "machine": ["cores": ProcessInfo.processInfo.activeProcessorCount, "load_average_before": loadBefore,
                        "load_average_after": PDFCompare.loadAverage()],
            "gazette": [
                "warm_median_ms": warmMedian, "warm_p90_ms": percentile(warm, 90), "warm_min_ms": warm.min() ?? 0, "runs": runs,
                "text_only_warm_median_ms": percentile(textOnly, 50),
                "cold_process": "gazette-render", "cold_process_s": cold.seconds, "cold_peak_rss_mb": cold.rssMB,
                "text_only_cold_process_s": coldTextOnly.seconds, "text_only_cold_peak_rss_mb": coldTextOnly.rssMB,
                "cold_runs": coldRuns,
                "pages": first.pages, "pdf_bytes": rendered.count,
                "pdfimages_rows": rows.count, "photos_embedded_1280x853": photoRows.count, "photos_all_jpeg": allJPEG,
            ] as [String: Any],
            "targets": ["warm_ms_below": 150, "cold_peak_rss_mb_at_most": 40, "pdf_bytes_below": 3_000_000],
            "meets_targets": [
                "warm": warmMedian < 150, "cold_peak_rss": cold.rssMB <= 40, "pdf_size": rendered.count < 3_000_000,
                "photos_embedded_as_jpeg": allJPEG && photoRows.count == photos,
            ],
        ]
        try writeResult(result, name: "pdf-images", directory: resultsDirectory)
    }

    /// The digest with `count` photos: one under each channel heading (`## n.`) and one before its top posts, in order.
    static func withPhotos(_ markdown: String, count: Int) -> String {
        var lines: [String] = []
        var next = 1
        func photo(_ caption: String) -> [String] {
            guard next <= count else { return [] }
            defer { next += 1 }
            let name = next < 10 ? "photo-0\(next).jpg" : "photo-\(next).jpg"
            return ["", "![\(caption)](\(name))", ""]
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == "**Top posts**" { lines += photo("Photo of the day's top post") }
            lines.append(line)
            if line.hasPrefix("## "), line.dropFirst(3).first?.isNumber == true { lines += photo("Photo: " + line.dropFirst(3)) }
        }
        while next <= count { lines += photo("Photo") }
        return lines.joined(separator: "\n")
    }

    static func totalBytes(_ directory: URL) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".jpg") }.reduce(0) { total, name in
            total + ((try FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(name).path)[.size] as? Int) ?? 0)
        }
    }
}
