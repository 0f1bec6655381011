import Glibc
import Synchronization

/// Nanoseconds on the monotonic clock.
func benchNow() -> Int64 {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
}

/// What one run measured.
struct BenchResult: Sendable {
    var messages: Int
    var bytes: Int
    var nanoseconds: Int64
    var expected: Int
    /// Round-trip times in nanoseconds (reqrep only).
    var latencies: [Int64] = []

    func summary(_ config: BenchConfig) -> String {
        let seconds = max(Double(nanoseconds) / 1e9, 1e-9)
        var lines = [
            "pattern: \(config.pattern.rawValue)  url: \(config.url)  size: \(config.size)  role: \(config.role.rawValue)",
            "messages: \(messages)" + (messages < expected ? " (of \(expected); \(expected - messages) lost)" : ""),
            "seconds: " + fixed(seconds, 3),
            "msg/s: " + fixed(Double(messages) / seconds, 0),
            "MB/s: " + fixed(Double(bytes) / seconds / 1e6, 2),
        ]
        if !latencies.isEmpty {
            let sorted = latencies.sorted()
            func at(_ q: Double) -> String {
                fixed(Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))]) / 1000, 1)
            }
            lines.append("latency_us: p50 \(at(0.5))  p90 \(at(0.9))  p99 \(at(0.99))  max " + fixed(Double(sorted.last!) / 1000, 1))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

func fixed(_ value: Double, _ places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    if places == 0 { return String(Int(rounded)) }
    let whole = Int(rounded)
    var fraction = String(Int(((rounded - Double(whole)) * scale).rounded()))
    while fraction.count < places { fraction = "0" + fraction }
    return "\(whole).\(fraction)"
}

/// A message counter shared by the workers, with a progress line on stderr
/// twice a second while stderr is a terminal.
final class BenchProgress: Sendable {
    let done = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)
    private let total: Int

    init(total: Int) {
        self.total = total
        guard isatty(2) != 0 else { return }
        startThread { [self] in
            while !stopped.load(ordering: .acquiring) {
                usleep(500_000)
                if stopped.load(ordering: .acquiring) { break }
                let text = "\r\(done.load(ordering: .relaxed)) / \(total) messages\u{1b}[K"
                Array(text.utf8).withUnsafeBytes { _ = try? OutputWriter.writeAll($0, to: 2) }
            }
        }
    }

    func add(_ n: Int = 1) { done.add(n, ordering: .relaxed) }

    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing), isatty(2) != 0 else { return }
        Array("\r\u{1b}[K".utf8).withUnsafeBytes { _ = try? OutputWriter.writeAll($0, to: 2) }
    }
}
