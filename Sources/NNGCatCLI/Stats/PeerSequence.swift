import Synchronization

/// `--check-seq` for one peer: what its numbered bodies did so far.
final class PeerSequence: @unchecked Sendable {
    // @unchecked: `highest`, `first` and `seen` belong to the receiving thread
    // alone; the reporter thread reads only the atomics and the lets.
    let label: String
    let pipeID: UInt32
    private let gapCount = Atomic<Int>(0)
    private let missingCount = Atomic<Int>(0)
    private let duplicateCount = Atomic<Int>(0)
    private let reorderCount = Atomic<Int>(0)
    private var highest: UInt64 = 0
    private var first: UInt64?
    /// Which of the last `window` numbers arrived, bit n % window for number n.
    private var seen: [UInt64]

    /// Numbers further back than this are not remembered: one arriving that
    /// late counts as reordered, never as a duplicate.
    static let window: UInt64 = 4096

    init(label: String, pipeID: UInt32) {
        self.label = label
        self.pipeID = pipeID
        seen = Array(repeating: 0, count: Int(Self.window / 64))
    }

    var counts: SeqCounts {
        SeqCounts(gaps: gapCount.load(ordering: .relaxed), missing: missingCount.load(ordering: .relaxed),
                  duplicates: duplicateCount.load(ordering: .relaxed), reordered: reorderCount.load(ordering: .relaxed))
    }

    func observe(_ number: UInt64) {
        guard let start = first else {
            first = number
            highest = number
            mark(number)
            return
        }
        if number > highest {
            if number > highest + 1 {
                gapCount.wrappingAdd(1, ordering: .relaxed)
                missingCount.wrappingAdd(Int(clamping: number - highest - 1), ordering: .relaxed)
            }
            clear(after: highest, through: number)
            highest = number
            mark(number)
        } else if highest - number >= Self.window {
            reorderCount.wrappingAdd(1, ordering: .relaxed)
        } else if isMarked(number) {
            duplicateCount.wrappingAdd(1, ordering: .relaxed)
        } else {
            mark(number)
            reorderCount.wrappingAdd(1, ordering: .relaxed)
            // It was counted missing when the gap opened; it is here after all.
            if number > start { missingCount.wrappingAdd(-1, ordering: .relaxed) }
        }
    }

    private func mark(_ number: UInt64) {
        let bit = number % Self.window
        seen[Int(bit / 64)] |= 1 << (bit % 64)
    }

    private func isMarked(_ number: UInt64) -> Bool {
        let bit = number % Self.window
        return seen[Int(bit / 64)] & (1 << (bit % 64)) != 0
    }

    private func clear(after low: UInt64, through high: UInt64) {
        if high - low >= Self.window {
            for index in seen.indices { seen[index] = 0 }
            return
        }
        var number = low + 1
        while number <= high {
            let bit = number % Self.window
            seen[Int(bit / 64)] &= ~(1 << (bit % 64))
            number += 1
        }
    }
}

/// What `--check-seq` found, for one peer or all.
struct SeqCounts: Sendable, Equatable {
    var gaps = 0, missing = 0, duplicates = 0, reordered = 0

    static func + (a: SeqCounts, b: SeqCounts) -> SeqCounts {
        SeqCounts(gaps: a.gaps + b.gaps, missing: a.missing + b.missing, duplicates: a.duplicates + b.duplicates,
                  reordered: a.reordered + b.reordered)
    }
}
