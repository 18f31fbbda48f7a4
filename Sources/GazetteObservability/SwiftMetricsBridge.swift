import CoreMetrics
import Foundation
import GazetteMetrics

/// swift-metrics' `MetricsFactory` backed by the process's own registry: metrics that dependencies emit through
/// swift-metrics (and any of Gazette's own code that uses the standard API) appear in `/metrics` next to Gazette's.
///
/// Mapping: `Counter` and `FloatingPointCounter` → counter; `Meter` and a non-aggregating `Recorder` → gauge;
/// an aggregating `Recorder` → histogram with `recorderBuckets`; `Timer` → histogram in seconds with
/// `timerBuckets`. Labels and dimension names are made valid Prometheus names (other characters become `_`); a
/// name already used by a metric of another type gets the type as a suffix (`_gauge`, …) instead of trapping.
/// `destroy…` keeps the series (a scrape must not lose a counter's history); `reset()` sets a counter to zero.
public struct SwiftMetricsBridge: MetricsFactory {
    public static let timerBuckets: [Double] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]
    public static let recorderBuckets: [Double] = [1, 5, 10, 50, 100, 500, 1000, 5000, 10000, 50000, 100_000]

    let registry: MetricRegistry

    public init(registry: MetricRegistry) {
        self.registry = registry
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        CounterBridge(registry.makeCounter(name: name(label, .counter), labels: labels(dimensions), help: help(label)))
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        CounterBridge(registry.makeCounter(name: name(label, .counter), labels: labels(dimensions), help: help(label)))
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        GaugeBridge(registry.makeGauge(name: name(label, .gauge), labels: labels(dimensions), help: help(label)))
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        guard aggregate else {
            return GaugeBridge(registry.makeGauge(name: name(label, .gauge), labels: labels(dimensions), help: help(label)))
        }
        return HistogramBridge(registry.makeHistogram(name: name(label, .histogram), labels: labels(dimensions),
                                                      buckets: Self.recorderBuckets, help: help(label)))
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let base = label.hasSuffix("_seconds") ? label : label + "_seconds"
        return HistogramBridge(registry.makeHistogram(name: name(base, .histogram), labels: labels(dimensions),
                                                      buckets: Self.timerBuckets, help: help(label)))
    }

    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyMeter(_ handler: any MeterHandler) {}
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}

    // MARK: Names

    /// A valid metric name of `kind`: invalid characters replaced, and the kind appended when the name is taken by
    /// a metric of another type.
    func name(_ label: String, _ kind: MetricKind) -> String {
        let base = Self.sanitize(label, allowColon: true)
        guard let existing = registry.kind(of: base), existing != kind else { return base }
        return base + "_" + kind.rawValue
    }

    func labels(_ dimensions: [(String, String)]) -> [(String, String)] {
        var seen = Set<String>()
        return dimensions.compactMap { key, value in
            var name = Self.sanitize(key, allowColon: false)
            if name.hasPrefix("__") { name = "x" + name }
            if name == "le" { name = "le_" }
            guard seen.insert(name).inserted else { return nil }
            return (name, value)
        }
    }

    func help(_ label: String) -> String { "\(label) (reported through swift-metrics)." }

    static func sanitize(_ text: String, allowColon: Bool) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            let ok = scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "_" || (allowColon && scalar == ":"))
            out.unicodeScalars.append(ok ? scalar : "_")
        }
        if out.isEmpty || out.unicodeScalars.first.map({ CharacterSet.decimalDigits.contains($0) }) == true { out = "_" + out }
        return out
    }
}

private final class CounterBridge: CounterHandler, FloatingPointCounterHandler {
    let counter: GazetteMetrics.Counter
    init(_ counter: GazetteMetrics.Counter) { self.counter = counter }
    func increment(by amount: Int64) { if amount > 0 { counter.increment(by: amount) } }
    func increment(by amount: Double) { if amount > 0, amount.isFinite { counter.increment(by: amount) } }
    func reset() { counter.reset() }
}

private final class GaugeBridge: MeterHandler, RecorderHandler {
    let gauge: GazetteMetrics.Gauge
    init(_ gauge: GazetteMetrics.Gauge) { self.gauge = gauge }
    func set(_ value: Int64) { gauge.set(Double(value)) }
    func set(_ value: Double) { gauge.set(value) }
    func increment(by amount: Double) { gauge.increment(by: amount) }
    func decrement(by amount: Double) { gauge.decrement(by: amount) }
    func record(_ value: Int64) { gauge.set(Double(value)) }
    func record(_ value: Double) { gauge.set(value) }
}

private final class HistogramBridge: RecorderHandler, TimerHandler {
    let histogram: Histogram
    init(_ histogram: Histogram) { self.histogram = histogram }
    func record(_ value: Int64) { histogram.record(Double(value)) }
    func record(_ value: Double) { histogram.record(value) }
    func recordNanoseconds(_ duration: Int64) { histogram.record(Double(duration) / 1e9) }
}
