import Foundation
import GazetteCore
import GazetteMetrics
import Synchronization

/// `gazette_build_info`, `gazette_ready` and the standard `process_*` metrics, read from /proc at scrape time.
public final class ProcessMetrics: Sendable {
    private let residentMemory: Gauge
    private let virtualMemory: Gauge
    private let cpuSeconds: Counter
    /// CPU seconds already added to the counter; the kernel reports a running total, the counter takes increments.
    private let cpuReported = Mutex<Double>(0)
    private let openFDs: Gauge
    private let startTime: Gauge
    private let ready: Gauge

    public init(registry: MetricRegistry) {
        registry.makeGauge(name: "gazette_build_info", labels: [("version", GazetteVersion.current)],
                           help: "Always 1; the label carries the version of the running binary.").set(1.0)
        ready = registry.makeGauge(name: "gazette_ready", help: "1 while every readiness check passes, else 0.")
        residentMemory = registry.makeGauge(name: "process_resident_memory_bytes", help: "Resident memory size in bytes.")
        virtualMemory = registry.makeGauge(name: "process_virtual_memory_bytes", help: "Virtual memory size in bytes.")
        cpuSeconds = registry.makeCounter(name: "process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.")
        openFDs = registry.makeGauge(name: "process_open_fds", help: "Number of open file descriptors.")
        startTime = registry.makeGauge(name: "process_start_time_seconds", help: "Start time of the process since unix epoch in seconds.")
        startTime.set(Self.processStartTime())
    }

    public func setReady(_ isReady: Bool) {
        ready.set(isReady ? 1.0 : 0.0)
    }

    /// Refreshes the values; called just before each scrape is written. Cheap on purpose (a scrape's p99 target
    /// is 1 ms): CPU time from `getrusage`, memory from one small read of /proc/self/statm, descriptors counted
    /// with `readdir`, no Foundation file or string APIs. Outside Linux (no /proc) those gauges keep their values.
    public func update() {
        if let fields = Self.readSmallFile("/proc/self/statm")?.split(separator: UInt8(ascii: " ")), fields.count >= 2,
           let pages = Self.integer(fields[0]), let resident = Self.integer(fields[1]) {
            let page = Double(sysconf(Int32(_SC_PAGESIZE)))
            virtualMemory.set(Double(pages) * page)
            residentMemory.set(Double(resident) * page)
        }
        var usage = rusage()
        if getrusage(RUSAGE_SELF.rawValue, &usage) == 0 {
            func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
            let total = seconds(usage.ru_utime) + seconds(usage.ru_stime)
            let delta = cpuReported.withLock { reported -> Double in
                let delta = max(0, total - reported)
                reported += delta
                return delta
            }
            if delta > 0 { cpuSeconds.increment(by: delta) }
        }
        if let count = Self.countEntries("/proc/self/fd") { openFDs.set(Double(count)) }
    }

    /// Up to 4 KB of a file, for /proc files of one short line.
    static func readSmallFile(_ path: String) -> ArraySlice<UInt8>? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        return count > 0 ? buffer[..<count] : nil
    }

    static func integer(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits where byte != UInt8(ascii: "\n") {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return digits.isEmpty ? nil : value
    }

    /// Entries of a directory other than `.` and `..`; the descriptor `opendir` itself holds is one of them,
    /// as it is in every exporter that lists /proc/self/fd.
    static func countEntries(_ path: String) -> Int? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var count = 0
        while let entry = readdir(dir) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDot { count += 1 }
        }
        return count
    }

    /// /proc/self/stat fields after the `(comm)` field, which may itself contain spaces.
    private static func statFields() -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }

    private static func processStartTime() -> Double {
        guard let fields = statFields(), fields.count > 19, let startTicks = Double(fields[19]),
              let uptimeText = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
              let uptime = Double(uptimeText.split(separator: " ").first ?? "") else {
            return Date().timeIntervalSince1970
        }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let bootTime = Date().timeIntervalSince1970 - uptime
        return (bootTime + startTicks / ticks).rounded()
    }
}
