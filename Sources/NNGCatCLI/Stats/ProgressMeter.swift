import Glibc
import Synchronization

/// `send`'s progress: how much of the input has been read, against its size
/// when that is known (a regular file on stdin or `--file`).
final class ProgressMeter: Sendable {
    /// Input bytes in all, nil when unknown (a pipe, `--count 0`).
    let total: Int?
    private let consumedBytes = Atomic<Int>(0)

    init(total: Int?) { self.total = total }

    /// One input record (and its terminator) taken: a relaxed atomic add.
    func consumed(_ count: Int) { consumedBytes.wrappingAdd(count, ordering: .relaxed) }

    var consumed: Int { consumedBytes.load(ordering: .relaxed) }

    /// Whether to draw at all: stderr must be a terminal; then `--progress`
    /// draws, and otherwise only a known size does. `NNGCAT_NO_PROGRESS`
    /// (any value) counts as `--no-progress` unless `--progress` was given.
    static func shouldDraw(_ choice: ProgressChoice, knownSize: Bool, stderrIsTerminal: Bool = isatty(2) == 1) -> Bool {
        guard stderrIsTerminal else { return false }
        switch choice {
        case .off: return false
        case .forced: return true
        case .automatic: return knownSize && getenv("NNGCAT_NO_PROGRESS") == nil
        }
    }

    /// The bytes left to read on `descriptor` when it is a regular file, else nil.
    static func remainingSize(of descriptor: Int32) -> Int? {
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        let position = lseek(descriptor, 0, SEEK_CUR)
        return max(0, Int(status.st_size) - max(0, Int(position)))
    }

    static func fileSize(_ path: String) -> Int? {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    /// ` 42% 4200 msgs 67.2 KiB 1000 msg/s ETA 0:05`, or without the
    /// percentage and ETA when the size is unknown.
    static func line(total: Int?, consumed: Int, messages: Int, bytes: Int, elapsed: Double) -> String {
        var text = ""
        let rate = elapsed > 0 ? Double(messages) / elapsed : 0
        if let total, total > 0 {
            let fraction = min(1, Double(consumed) / Double(total))
            text += "\(Int((fraction * 100).rounded(.down)))% ".leftPadded(to: 5)
        }
        text += "\(messages) msgs \(ByteText.format(bytes)) \(StatsLine.fixed(rate, 0)) msg/s"
        if let total, total > 0, consumed > 0, elapsed > 0 {
            let perSecond = Double(consumed) / elapsed
            let left = Double(max(0, total - consumed)) / perSecond
            text += " ETA " + clock(left)
        }
        return text
    }

    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
        let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// `512 B`, `67.2 KiB`, `1.5 MiB`, `2.0 GiB`.
enum ByteText {
    static func format(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : StatsLine.fixed(value, 1) + " " + units[unit]
    }
}
