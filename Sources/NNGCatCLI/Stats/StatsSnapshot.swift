/// One reading for a stats line: an interval's figures, or the whole run's.
struct StatsSnapshot: Sendable {
    var summary = false
    /// Seconds since the run started.
    var elapsed: Double
    /// Seconds this reading covers (the whole run for the summary).
    var span: Double
    var messages: Int
    var bytes: Int
    var totalMessages: Int
    var totalBytes: Int
    var parts: [PartFigures] = []
    var latency: LatencyFigures?
    var sequence: SeqFigures?

    var rate: Double { span > 0 ? Double(messages) / span : 0 }
    var byteRate: Double { span > 0 ? Double(bytes) / span : 0 }
}

/// Round-trip percentiles, in nanoseconds; nil figures when no reply came.
struct LatencyFigures: Sendable, Equatable {
    var samples: Int
    var p50: Int?, p90: Int?, p99: Int?, max: Int?

    init(counts: [Int], maximum: Int) {
        samples = counts.reduce(0, +)
        p50 = LatencyBuckets.quantile(0.50, of: counts, maximum: maximum)
        p90 = LatencyBuckets.quantile(0.90, of: counts, maximum: maximum)
        p99 = LatencyBuckets.quantile(0.99, of: counts, maximum: maximum)
        max = samples > 0 ? maximum : nil
    }
}

/// `--check-seq` totals so far, and the peers to list.
struct SeqFigures: Sendable {
    var total: SeqCounts
    var unnumbered: Int
    var peers: [(label: String, pipe: UInt32, counts: SeqCounts)]
}

/// One `TrafficPart`'s counts: this reading's, and the run's so far.
struct PartFigures: Sendable, Equatable {
    var name: String
    var messages: Int
    var bytes: Int
    var totalMessages: Int
    var totalBytes: Int
}
