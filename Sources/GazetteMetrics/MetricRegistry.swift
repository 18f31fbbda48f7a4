import GazetteCore
import Synchronization

/// The process's metrics and their Prometheus text exposition (format 0.0.4, what `promtool check metrics` reads).
///
/// Gazette keeps its own small registry rather than a general metrics library because a scrape is on the hot path
/// (SPEC §9: p99 < 1 ms with 20 channels of label values): every line's name-and-labels prefix, every `# HELP` and
/// `# TYPE` line and every bucket's `le` label are rendered once, when the series is created, so a scrape only
/// copies those bytes and writes the numbers. Families are written in name order, series in creation order.
///
/// `make…` returns the existing series when one with the same name and labels exists, so callers may look series
/// up by label at the moment they count. Names and label names are fixed by the code (an invalid one, or a name
/// reused with another type, is a programming error and traps); label values may come from outside (channel
/// names) and are escaped.
public final class MetricRegistry: Sendable {
    private let families = Mutex(Families())
    /// The size of the last exposition, to reserve the next one's buffer in one allocation.
    private let lastSize = Atomic<Int>(4096)

    public init() {}

    public func makeCounter(name: String, labels: [(String, String)] = [], help: String) -> Counter {
        family(name, .counter, help).series(labels) { prefix in Counter(prefix: prefix) }
    }

    public func makeGauge(name: String, labels: [(String, String)] = [], help: String) -> Gauge {
        family(name, .gauge, help).series(labels) { prefix in Gauge(prefix: prefix) }
    }

    /// A histogram with the given upper bounds (ascending; `+Inf` is added). Values in seconds for durations.
    public func makeHistogram(name: String, labels: [(String, String)] = [], buckets: [Double], help: String) -> Histogram {
        precondition(!buckets.isEmpty && zip(buckets, buckets.dropFirst()).allSatisfy { $0 < $1 },
                     "histogram \(name): buckets must be ascending")
        return family(name, .histogram, help).series(labels) { _ in Histogram(name: name, labels: labels, bounds: buckets) }
    }

    /// Appends the exposition of every series to `buffer`.
    func emit(into buffer: inout [UInt8]) {
        for family in families.withLock({ $0.sorted }) {
            family.emit(into: &buffer)
        }
    }

    /// The exposition as bytes, in a buffer sized from the previous one.
    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(lastSize.load(ordering: .relaxed) + 1024)
        emit(into: &buffer)
        lastSize.store(buffer.count, ordering: .relaxed)
        return buffer
    }

    /// The exposition as text (tests).
    public func text() -> String {
        String(decoding: exposition(), as: UTF8.self)
    }

    /// The type of the family called `name`, when there is one: callers that take names from elsewhere (the
    /// swift-metrics bridge) check it instead of trapping on a name reused with another type.
    public func kind(of name: String) -> MetricKind? {
        families.withLock { $0.byName[name]?.kind }
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`: what `make…` accepts as a metric name.
    public static func isValidName(_ name: String) -> Bool { Exposition.isValidName(name) }

    /// What `make…` accepts as a label name.
    public static func isValidLabelName(_ name: String) -> Bool { Exposition.isValidLabelName(name) }

    private func family(_ name: String, _ type: MetricKind, _ help: String) -> Family {
        families.withLock { families in
            if let existing = families.byName[name] {
                precondition(existing.kind == type, "metric \(name) is a \(existing.kind), not a \(type)")
                return existing
            }
            precondition(Exposition.isValidName(name), "invalid metric name \(name)")
            let family = Family(name: name, kind: type, help: help)
            families.byName[name] = family
            families.sorted = families.byName.values.sorted { $0.name < $1.name }
            return family
        }
    }

    private struct Families {
        var byName: [String: Family] = [:]
        /// The families in name order, rebuilt when one is added (rare: at start and for a new metric name), so a
        /// scrape does not sort.
        var sorted: [Family] = []
    }
}

/// The type of a metric family.
public enum MetricKind: String, Sendable { case counter, gauge, histogram }

/// One metric name: its header lines and its series.
final class Family: Sendable {
    let name: String
    let kind: MetricKind
    /// `# HELP …\n# TYPE …\n`
    private let header: [UInt8]
    private let members = Mutex<Members>(Members())

    struct Members {
        /// Keyed by the series' line prefix (`name{labels} `): a counter or gauge keeps the same array as its prefix,
        /// so the bytes are stored once (a worker has two series per subscribed channel).
        var byPrefix: [[UInt8]: any Series] = [:]
        var ordered: [any Series] = []
    }

    init(name: String, kind: MetricKind, help: String) {
        self.name = name
        self.kind = kind
        header = Exposition.header(name: name, type: kind.rawValue, help: help)
    }

    /// The series with these labels, made by `make` (given its line prefix) when there is none yet.
    func series<S: Series>(_ labels: [(String, String)], make: ([UInt8]) -> S) -> S {
        for (label, _) in labels {
            precondition(Exposition.isValidLabelName(label), "metric \(name): invalid label name \(label)")
        }
        let key = Exposition.seriesPrefix(name, labels)
        return members.withLock { members in
            if let existing = members.byPrefix[key] {
                // Same name and labels: the family's kind decides the type, so this cast holds.
                return existing as! S
            }
            let created = make(key)
            members.byPrefix[key] = created
            members.ordered.append(created)
            return created
        }
    }

    func emit(into buffer: inout [UInt8]) {
        buffer.append(contentsOf: header)
        for series in members.withLock({ $0.ordered }) {
            series.emit(into: &buffer)
        }
    }
}

/// A series of a family: writes its own lines.
protocol Series: AnyObject, Sendable {
    func emit(into buffer: inout [UInt8])
}

/// A monotonically increasing count. Whole increments are kept exactly in an integer; fractional ones (CPU
/// seconds) in a separate floating-point sum, so the common case prints as an integer.
public final class Counter: Series {
    private let prefix: [UInt8]
    private let whole = Atomic<Int64>(0)
    private let fraction = Atomic<UInt64>(0.0.bitPattern)

    init(prefix: [UInt8]) { self.prefix = prefix }

    public func increment() { whole.add(1, ordering: .relaxed) }

    public func increment(by amount: Int64) {
        precondition(amount >= 0, "a counter only goes up")
        whole.add(amount, ordering: .relaxed)
    }

    public func increment(by amount: Double) {
        precondition(amount >= 0, "a counter only goes up")
        fraction.addDouble(amount)
    }

    /// The current value.
    public var value: Double {
        Double(whole.load(ordering: .relaxed)) + Double(bitPattern: fraction.load(ordering: .relaxed))
    }

    /// Back to zero (swift-metrics' `reset()`; Prometheus reads the drop as a counter reset).
    public func reset() {
        whole.store(0, ordering: .relaxed)
        fraction.store(0.0.bitPattern, ordering: .relaxed)
    }

    func emit(into buffer: inout [UInt8]) {
        buffer.append(contentsOf: prefix)
        let fractional = Double(bitPattern: fraction.load(ordering: .relaxed))
        if fractional == 0 {
            Exposition.appendInteger(whole.load(ordering: .relaxed), to: &buffer)
        } else {
            Exposition.appendDouble(value, to: &buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
    }
}

/// A value that goes up and down.
public final class Gauge: Series {
    private let prefix: [UInt8]
    private let bits = Atomic<UInt64>(0.0.bitPattern)

    init(prefix: [UInt8]) { self.prefix = prefix }

    public func set(_ value: Double) { bits.store(value.bitPattern, ordering: .relaxed) }

    public func increment(by amount: Double = 1) { bits.addDouble(amount) }

    public func decrement(by amount: Double = 1) { bits.addDouble(-amount) }

    public var value: Double { Double(bitPattern: bits.load(ordering: .relaxed)) }

    func emit(into buffer: inout [UInt8]) {
        buffer.append(contentsOf: prefix)
        Exposition.appendDouble(value, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }
}

/// Counts of observations per bucket (cumulative in the exposition), their sum and their count.
public final class Histogram: Series {
    private let bounds: [Double]
    /// The prefixes of the series' lines back to back: `name_bucket{labels,le="…"} ` per bound and for `+Inf`,
    /// then `name_sum{labels} ` and `name_count{labels} `; `ends[i]` is where line i's prefix ends. One array, so
    /// a scrape touches one buffer per histogram rather than one per line.
    private let prefixes: [UInt8]
    private let ends: [Int]
    private let state: Mutex<State>

    struct State {
        /// Observations per bucket, not cumulative; the last is the `+Inf` bucket.
        var counts: [Int64]
        var sum: Double = 0
    }

    init(name: String, labels: [(String, String)], bounds: [Double]) {
        self.bounds = bounds
        let lines = (bounds.map(Exposition.bucketBound) + ["+Inf"]).map { le in
            Exposition.seriesPrefix(name + "_bucket", labels + [("le", le)])
        } + [Exposition.seriesPrefix(name + "_sum", labels), Exposition.seriesPrefix(name + "_count", labels)]
        prefixes = Array(lines.joined())
        var end = 0
        ends = lines.map { end += $0.count; return end }
        state = Mutex(State(counts: Array(repeating: 0, count: bounds.count + 1)))
    }

    public func record(_ value: Double) {
        // The first bucket whose bound is ≥ the value (Prometheus buckets are inclusive upper bounds).
        var index = 0
        while index < bounds.count && value > bounds[index] { index += 1 }
        state.withLock { state in
            state.counts[index] += 1
            state.sum += value
        }
    }

    public func record(_ duration: Duration) { record(duration.inSeconds) }

    /// The number of observations and their sum.
    public var totals: (count: Int64, sum: Double) {
        state.withLock { ($0.counts.reduce(0, +), $0.sum) }
    }

    func emit(into buffer: inout [UInt8]) {
        prefixes.withUnsafeBufferPointer { prefixes in
            var start = 0
            func line(_ index: Int) {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: prefixes[start..<ends[index]]))
                start = ends[index]
            }
            state.withLock { state in
                var cumulative: Int64 = 0
                for (index, count) in state.counts.enumerated() {
                    cumulative += count
                    line(index)
                    Exposition.appendInteger(cumulative, to: &buffer)
                    buffer.append(UInt8(ascii: "\n"))
                }
                line(state.counts.count)
                Exposition.appendDouble(state.sum, to: &buffer)
                buffer.append(UInt8(ascii: "\n"))
                line(state.counts.count + 1)
                Exposition.appendInteger(cumulative, to: &buffer)
                buffer.append(UInt8(ascii: "\n"))
            }
        }
    }
}

extension Atomic where Value == UInt64 {
    /// Adds to the `Double` whose bit pattern this holds (compare-and-exchange until no other thread got between).
    fileprivate func addDouble(_ amount: Double) {
        var current = load(ordering: .relaxed)
        while true {
            let (exchanged, original) = compareExchange(
                expected: current, desired: (Double(bitPattern: current) + amount).bitPattern, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}
