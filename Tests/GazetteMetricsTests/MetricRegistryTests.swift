import GazetteMetrics
import Testing

@Suite("Metric registry and exposition")
struct MetricRegistryTests {
    @Test("the exposition of each kind, families in name order, series in creation order")
    func exposition() {
        let registry = MetricRegistry()
        let b = registry.makeCounter(name: "b_total", labels: [("kind", "x")], help: "Counts b.")
        let a = registry.makeGauge(name: "a_gauge", help: "A gauge.")
        let c = registry.makeHistogram(name: "c_seconds", labels: [("tool", "t")], buckets: [0.5, 1, 2.5], help: "C.")
        _ = registry.makeCounter(name: "b_total", labels: [("kind", "y")], help: "Counts b.")
        b.increment()
        b.increment(by: Int64(41))
        a.set(3)
        a.decrement(by: 0.5)
        c.record(0.5)    // on a bound: that bucket (upper bounds are inclusive)
        c.record(0.7)
        c.record(.seconds(2))
        c.record(100)    // above the last bound: +Inf only
        #expect(registry.text() == """
            # HELP a_gauge A gauge.
            # TYPE a_gauge gauge
            a_gauge 2.5
            # HELP b_total Counts b.
            # TYPE b_total counter
            b_total{kind="x"} 42
            b_total{kind="y"} 0
            # HELP c_seconds C.
            # TYPE c_seconds histogram
            c_seconds_bucket{tool="t",le="0.5"} 1
            c_seconds_bucket{tool="t",le="1.0"} 2
            c_seconds_bucket{tool="t",le="2.5"} 3
            c_seconds_bucket{tool="t",le="+Inf"} 4
            c_seconds_sum{tool="t"} 103.2
            c_seconds_count{tool="t"} 4

            """)
        #expect(c.totals.count == 4)
    }

    @Test("the same name and labels give the same series; other labels a new one")
    func sameSeries() {
        let registry = MetricRegistry()
        let one = registry.makeCounter(name: "x_total", labels: [("channel", "a")], help: "X.")
        let again = registry.makeCounter(name: "x_total", labels: [("channel", "a")], help: "X.")
        let other = registry.makeCounter(name: "x_total", labels: [("channel", "b")], help: "X.")
        #expect(one === again)
        #expect(one !== other)
        again.increment(by: Int64(2))
        #expect(one.value == 2)
        #expect(other.value == 0)
    }

    @Test("label values and help text are escaped: backslash, double quote, line feed")
    func escaping() {
        let registry = MetricRegistry()
        registry.makeCounter(name: "e_total", labels: [("v", "a\\b\"c\nd")], help: "Path C:\\x\nsecond line").increment()
        #expect(registry.text() == """
            # HELP e_total Path C:\\\\x\\nsecond line
            # TYPE e_total counter
            e_total{v="a\\\\b\\"c\\nd"} 1

            """)
    }

    @Test("sample values: whole, fractional, large, tiny, negative and non-finite")
    func values() {
        let registry = MetricRegistry()
        let cases: [(Double, String)] = [(0, "0.0"), (1795984505, "1795984505.0"), (-7, "-7.0"), (0.1, "0.1"),
                                         (1.5e300, "1.5e+300"), (2.5e-7, "2.5e-07"), (.infinity, "+Inf"),
                                         (-.infinity, "-Inf"), (.nan, "NaN"), (123456.789, "123456.789")]
        for (index, (value, _)) in cases.enumerated() {
            registry.makeGauge(name: "g", labels: [("i", String(index))], help: "G.").set(value)
        }
        let lines = registry.text().split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines == cases.enumerated().map { #"g{i="\#($0.offset)"} \#($0.element.1)"# })
    }

    @Test("a counter with fractional increments prints their sum with the whole ones")
    func fractionalCounter() {
        let registry = MetricRegistry()
        let cpu = registry.makeCounter(name: "cpu_seconds_total", help: "CPU.")
        cpu.increment(by: 0.25)
        cpu.increment(by: Int64(2))
        #expect(registry.text().hasSuffix("cpu_seconds_total 2.25\n"))
    }

    @Test("concurrent updates are all counted, while series are created and the registry is scraped")
    func concurrency() async {
        let registry = MetricRegistry()
        let counter = registry.makeCounter(name: "n_total", help: "N.")
        let gauge = registry.makeGauge(name: "g", help: "G.")
        let histogram = registry.makeHistogram(name: "h", buckets: [1], help: "H.")
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for i in 0..<5_000 {
                        counter.increment()
                        gauge.increment(by: 0.5)
                        histogram.record(Double(i % 2) * 2)
                        if i % 500 == 0 {
                            registry.makeCounter(name: "c_total", labels: [("task", "\(task)-\(i)")], help: "C.").increment()
                            _ = registry.exposition()
                        }
                    }
                }
            }
        }
        #expect(counter.value == 40_000)
        #expect(gauge.value == 20_000)
        let text = registry.text()
        #expect(text.contains("h_bucket{le=\"1.0\"} 20000\n"))
        #expect(text.contains("h_bucket{le=\"+Inf\"} 40000\n"))
        #expect(text.contains("h_sum 40000.0\n"))
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("c_total{") }.count == 80)
    }
}
