import Testing
@testable import NNGCatCLI

@Suite("statistics")
struct StatsTests {
    @Test("histogram buckets are continuous and cover their values")
    func buckets() {
        var previous = -1
        for value in [0, 1, 31, 32, 33, 63, 64, 65, 1000, 123_456, 10_000_000_000, Int.max] {
            let index = LatencyBuckets.index(of: value)
            #expect(index >= previous && index < LatencyBuckets.count)
            let (low, width) = LatencyBuckets.range(of: index)
            #expect(low <= value && value - low < width)
            previous = index
        }
        for index in 0..<200 {
            let (low, width) = LatencyBuckets.range(of: index)
            #expect(LatencyBuckets.range(of: index + 1).low == low + width)
        }
    }

    @Test("percentiles of 1..1000 µs are within a bucket (1/32) of the exact value")
    func percentiles() {
        let histogram = LatencyHistogram()
        for micros in 1...1000 { histogram.record(nanoseconds: micros * 1000) }
        let figures = LatencyFigures(counts: histogram.counts(), maximum: histogram.maximum)
        #expect(figures.samples == 1000)
        for (value, exact) in [(figures.p50, 500_000.0), (figures.p90, 900_000), (figures.p99, 990_000)] {
            let got = Double(value ?? 0)
            #expect(abs(got - exact) / exact < 1.0 / 32, "got \(got), exact \(exact)")
        }
        #expect(figures.max == 1_000_000)
        #expect(histogram.takeIntervalMaximum() == 1_000_000)
        #expect(histogram.takeIntervalMaximum() == 0)
    }

    @Test("no samples, no percentiles")
    func emptyPercentiles() {
        let figures = LatencyFigures(counts: Array(repeating: 0, count: LatencyBuckets.count), maximum: 0)
        #expect(figures.p50 == nil && figures.max == nil)
        #expect(StatsLine.time(figures.p50) == "-")
    }

    @Test("a single slow sample is p99 and max, not more")
    func oneOutlier() {
        let histogram = LatencyHistogram()
        for _ in 0..<99 { histogram.record(nanoseconds: 100_000) }
        histogram.record(nanoseconds: 50_000_000)
        let figures = LatencyFigures(counts: histogram.counts(), maximum: histogram.maximum)
        #expect(figures.p99.map { abs($0 - 100_000) < 100_000 / 32 } == true)
        #expect(figures.max == 50_000_000)
    }

    static func check(_ numbers: [UInt64]) -> SeqCounts {
        let peer = PeerSequence(label: "p", pipeID: 1)
        numbers.forEach(peer.observe)
        return peer.counts
    }

    @Test("sequence checks: gaps, duplicates, reordering", arguments: [
        ([1, 2, 3, 4], SeqCounts()),
        ([1, 2, 4, 5], SeqCounts(gaps: 1, missing: 1)),
        ([1, 5, 9], SeqCounts(gaps: 2, missing: 6)),
        ([1, 2, 2, 3], SeqCounts(duplicates: 1)),
        ([1, 3, 2, 4], SeqCounts(gaps: 1, missing: 0, reordered: 1)),
        ([1, 3, 2, 2], SeqCounts(gaps: 1, missing: 0, duplicates: 1, reordered: 1)),
        ([10, 11, 12], SeqCounts()),  // a listener that joins late counts from the first it sees
        ([10, 9], SeqCounts(reordered: 1)),
        ([1, 10_000, 2], SeqCounts(gaps: 1, missing: 9_998, reordered: 1)),  // beyond the window: reordered, still missing
    ] as [([UInt64], SeqCounts)])
    func sequences(numbers: [UInt64], expected: SeqCounts) {
        #expect(Self.check(numbers) == expected)
    }

    @Test("leading numbers", arguments: [("12 abc", UInt64(12)), ("7", 7), ("0042x", 42), ("x12", nil), ("", nil), (" 1", nil)] as [(String, UInt64?)])
    func leadingNumbers(body: String, expected: UInt64?) {
        #expect(Array(body.utf8).withUnsafeBytes { SeqChecker.leadingNumber($0) } == expected)
    }

    @Test("a text stats line")
    func textLine() {
        let s = StatsSnapshot(elapsed: 2, span: 1, messages: 200, bytes: 3200, totalMessages: 400, totalBytes: 6400)
        #expect(StatsLine.text(s) == "nngcat: stats t=2.000s msgs=200 bytes=3200 rate=200.0/s bytes/s=3200 total_msgs=400 total_bytes=6400")
    }

    @Test("a JSON summary with latency and sequence figures")
    func jsonLine() {
        var s = StatsSnapshot(summary: true, elapsed: 1.5, span: 1.5, messages: 3, bytes: 30, totalMessages: 3, totalBytes: 30)
        s.sequence = SeqFigures(total: SeqCounts(gaps: 1, missing: 2), unnumbered: 0,
                                peers: [(label: "tcp://\"x\"", pipe: 7, counts: SeqCounts(gaps: 1, missing: 2))])
        #expect(StatsLine.json(s) == #"{"type":"summary","elapsed_s":1.500,"span_s":1.500,"messages":3,"bytes":30,"rate":2.0,"bytes_per_s":20,"total_messages":3,"total_bytes":30,"seq":{"gaps":1,"missing":2,"duplicates":0,"reordered":0,"unnumbered":0,"peers":[{"peer":"tcp://\"x\"","pipe":7,"gaps":1,"missing":2,"duplicates":0,"reordered":0}]}}"#)
    }

    @Test("a proxy's directions, as text and JSON")
    func parts() {
        var s = StatsSnapshot(elapsed: 2, span: 1, messages: 5, bytes: 50, totalMessages: 9, totalBytes: 90)
        s.parts = [PartFigures(name: "in_out", messages: 3, bytes: 30, totalMessages: 6, totalBytes: 60),
                   PartFigures(name: "out_in", messages: 2, bytes: 20, totalMessages: 3, totalBytes: 30)]
        #expect(StatsLine.text(s) == "nngcat: stats t=2.000s msgs=5 bytes=50 rate=5.0/s bytes/s=50 total_msgs=9 total_bytes=90 in_out_msgs=3 in_out_bytes=30 in_out_total_msgs=6 out_in_msgs=2 out_in_bytes=20 out_in_total_msgs=3")
        #expect(StatsLine.json(s) == #"{"type":"interval","elapsed_s":2.000,"span_s":1.000,"messages":5,"bytes":50,"rate":5.0,"bytes_per_s":50,"total_messages":9,"total_bytes":90,"in_out":{"messages":3,"bytes":30,"total_messages":6,"total_bytes":60},"out_in":{"messages":2,"bytes":20,"total_messages":3,"total_bytes":30}}"#)
    }

    @Test("progress line: percent, counts, rate, ETA")
    func progress() {
        #expect(ProgressMeter.line(total: 1000, consumed: 250, messages: 25, bytes: 2048, elapsed: 5)
                == " 25% 25 msgs 2.0 KiB 5 msg/s ETA 0:15")
        #expect(ProgressMeter.line(total: nil, consumed: 250, messages: 25, bytes: 100, elapsed: 5) == "25 msgs 100 B 5 msg/s")
        #expect(ProgressMeter.shouldDraw(.forced, knownSize: false, stderrIsTerminal: false) == false)
        #expect(ProgressMeter.shouldDraw(.forced, knownSize: false, stderrIsTerminal: true))
        #expect(ProgressMeter.shouldDraw(.off, knownSize: true, stderrIsTerminal: true) == false)
    }
}
