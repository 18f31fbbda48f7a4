import ArgumentParser
import Foundation

/// `gazette-bench`: the benchmarks behind `make bench`. Each subcommand measures one thing and writes JSON
/// under `bench/results/`. Benchmarks compare against a reference measured in the same run and report ratios.
@main
struct GazetteBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gazette-bench",
        abstract: "Gazette's benchmarks (JSON results under bench/results/).",
        subcommands: [PDFBench.self, StorageBench.self, DigestBench.self, StoriesBench.self, SourcesBench.self, WorkerBench.self, BotBench.self,
                      AccountBench.self, WebBench.self, SummaryCacheBench.self, SearchBench.self]
    )
}

/// Writes a benchmark result as pretty JSON to `bench/results/<name>.json` (or `--out`).
func writeResult(_ object: [String: Any], name: String, directory: String = "bench/results") throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    let path = "\(directory)/\(name).json"
    try data.write(to: URL(fileURLWithPath: path))
    print(String(decoding: data, as: UTF8.self))
    print("wrote \(path)")
}

/// Median and percentiles of a sample, in the sample's unit.
func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let rank = p / 100 * Double(sorted.count - 1)
    let low = Int(rank.rounded(.down)), high = Int(rank.rounded(.up))
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - Double(low))
}
