/// The bucket layout of `LatencyHistogram` and percentiles over it, in
/// nanoseconds: values below 32 have a bucket each; above, each power of two
/// is split into 32 equal buckets.
enum LatencyBuckets {
    static let subBits = 5
    static let count = (63 - subBits + 1) * (1 << subBits)

    static func index(of value: Int) -> Int {
        let sub = 1 << subBits
        if value < sub { return value }
        let exponent = Int.bitWidth - 1 - value.leadingZeroBitCount
        let fraction = (value >> (exponent - subBits)) & (sub - 1)
        return (exponent - subBits + 1) * sub + fraction
    }

    /// The smallest value in the bucket and the bucket's width.
    static func range(of index: Int) -> (low: Int, width: Int) {
        let sub = 1 << subBits
        if index < sub { return (index, 1) }
        let exponent = index / sub + subBits - 1
        let shift = exponent - subBits
        return ((sub + index % sub) << shift, 1 << shift)
    }

    /// The value at quantile `q` (0...1) of the samples counted in `counts`:
    /// the middle of the bucket holding the sample of rank ⌈q·n⌉, capped by
    /// `maximum` (so a p99 never reads above the max). Nil without samples.
    static func quantile(_ q: Double, of counts: [Int], maximum: Int) -> Int? {
        let total = counts.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = max(1, Int((q * Double(total)).rounded(.up)))
        var seen = 0
        for (index, count) in counts.enumerated() where count > 0 {
            seen += count
            if seen >= rank {
                let (low, width) = range(of: index)
                return min(low + width / 2, maximum)
            }
        }
        return maximum
    }
}
