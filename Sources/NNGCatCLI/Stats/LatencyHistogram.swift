import Synchronization

/// Round-trip times in a log-linear histogram of atomic counters (32 buckets
/// per power of two: a percentile is off by at most 1/64 of its value). The
/// requesting thread adds one sample with one atomic add and a max update;
/// the reporter reads the cumulative counts and subtracts its previous
/// reading for an interval. Fixed size, allocated once.
final class LatencyHistogram: @unchecked Sendable {
    // @unchecked: `buckets` is allocated in init, freed in deinit, and only
    // ever touched through the atomics it holds.
    private let buckets: UnsafeMutablePointer<Atomic<Int>>
    private let largest = Atomic<Int>(0)
    private let intervalLargest = Atomic<Int>(0)

    init() {
        buckets = .allocate(capacity: LatencyBuckets.count)
        for index in 0..<LatencyBuckets.count { (buckets + index).initialize(to: Atomic(0)) }
    }

    deinit {
        buckets.deinitialize(count: LatencyBuckets.count)
        buckets.deallocate()
    }

    func record(nanoseconds: Int) {
        let value = max(0, nanoseconds)
        buckets[LatencyBuckets.index(of: value)].wrappingAdd(1, ordering: .relaxed)
        raise(largest, to: value)
        raise(intervalLargest, to: value)
    }

    private func raise(_ atomic: borrowing Atomic<Int>, to value: Int) {
        var current = atomic.load(ordering: .relaxed)
        while value > current {
            let (exchanged, original) = atomic.compareExchange(expected: current, desired: value, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    /// The cumulative counts, bucket by bucket (the reporter's allocation, not the hot path's).
    func counts() -> [Int] {
        (0..<LatencyBuckets.count).map { buckets[$0].load(ordering: .relaxed) }
    }

    var maximum: Int { largest.load(ordering: .relaxed) }

    /// The largest sample since the previous call.
    func takeIntervalMaximum() -> Int { intervalLargest.exchange(0, ordering: .relaxed) }
}
