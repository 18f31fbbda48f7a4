import Foundation
import GazetteCore
import Prometheus
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

    public init(registry: PrometheusCollectorRegistry) {
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

    /// Refreshes the values from /proc; called just before each scrape is written. Outside Linux
    /// (no /proc) the gauges simply keep their last values.
    public func update() {
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) {
            let fields = statm.split(separator: " ").compactMap { Double($0) }
            if fields.count >= 2 {
                virtualMemory.set(fields[0] * page)
                residentMemory.set(fields[1] * page)
            }
        }
        if let stat = Self.statFields() {
            let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
            // Fields 14 and 15 (utime, stime) counted from the field after the command name.
            if stat.count > 12, let user = Double(stat[11]), let system = Double(stat[12]) {
                let total = (user + system) / ticks
                let delta = cpuReported.withLock { reported -> Double in
                    let delta = max(0, total - reported)
                    reported += delta
                    return delta
                }
                if delta > 0 { cpuSeconds.increment(by: delta) }
            }
        }
        if let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            openFDs.set(Double(fds.count))
        }
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
