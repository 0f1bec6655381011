import NNGCore
import Synchronization

/// What `listen --rep`'s responders (`ReplyResponders`) share with the thread
/// that writes: the requests printed into one of two chunks from libnng's
/// completion callbacks, the `--count` share, the responders parked while
/// stdout lags, the lines for stderr, and how the run ended.
///
/// Like `EncodingReceiver`'s chain, with one producer per context: when both
/// chunks are taken, a responder about to receive again is parked instead,
/// and the writer resumes the parked ones once it has written a chunk. So a
/// slow stdout slows the requesters, and each chunk holds at most its size
/// plus one request per context. Callbacks hold the lock only to append or
/// to note something; none waits and none writes.
final class ReplyOutput: @unchecked Sendable {
    /// What the writer does next.
    enum Next {
        /// Write these bytes, then `recycle(_:)` them.
        case bytes([UInt8])
        /// Lines for stderr (replies that could not be sent).
        case notes([String])
        /// Nothing more is buffered, and either every responder has taken its
        /// share of `--count` (nil) or one ended with this error.
        case finished(NNGError?)
    }

    private enum WriterWait { case none, anything, handOff }

    /// Guarded by `lock`; behind a pointer for the reason `EncodingReceiver`'s
    /// chain is (no exclusivity checks where the lock already excludes).
    private struct State {
        var encoder: ListenEncoder
        var filling: [UInt8]
        var holdUntil = MonotonicDeadline.now
        var ready: [UInt8]?
        var spare: [UInt8]?
        var paused = false
        /// Indexes of the responders that were refused a receive while paused.
        var parked: [Int] = []
        /// Requests printed: each one's sequence number is this, counted.
        var received = 0
        /// Responders that stopped receiving because `--count` was taken.
        var done = 0
        var ending: NNGError?
        var notes: [String] = []
        var writerWait = WriterWait.none

        mutating func handOverFilling() -> Bool {
            guard let empty = spare.take() else { return false }
            ready = filling
            filling = empty
            return true
        }
    }

    private let lock = ConditionLock()
    private let state: UnsafeMutablePointer<State>
    /// False for `--format no` without an output template: then callbacks
    /// count with atomics and never take the lock on the way.
    let printing: Bool
    private let responders: Int
    private let count: Int?
    private let chunkSize: Int
    private let longestHold: Duration
    private let traffic: TrafficCounter?
    private let sequences: SeqChecker?
    /// `--count` receives handed out, refusals included.
    private let claimed = Atomic<Int>(0)
    /// Requests taken when not printing (their sequence numbers).
    private let arrivals = Atomic<Int>(0)

    init(settings: ListenSettings, reporter: LiveReporter, chunkSize: Int = StreamPrinter.chunkSize,
         longestHold: Duration = .milliseconds(20)) {
        let encoder = ListenEncoder(settings, reporter: reporter, handOverSize: .max)
        printing = settings.socket.format != .no || settings.socket.outputTemplate != nil
        responders = settings.jobs
        count = settings.count
        self.chunkSize = chunkSize
        self.longestHold = longestHold
        traffic = encoder.traffic
        sequences = encoder.sequences
        state = .allocate(capacity: 1)
        state.initialize(to: State(encoder: encoder, filling: Self.freshChunk(printing ? chunkSize : 0),
                                   spare: Self.freshChunk(printing ? chunkSize : 0)))
    }

    deinit {
        state.deinitialize(count: 1)
        state.deallocate()
    }

    private static func freshChunk(_ size: Int) -> [UInt8] {
        var chunk: [UInt8] = []
        chunk.reserveCapacity(size + size / 4)
        return chunk
    }

    /// Requests taken so far.
    var received: Int { printing ? lock.withLock { state.pointee.received } : arrivals.load(ordering: .relaxed) }

    // MARK: From the responders' callbacks

    /// Counts a request, checks its number (`--check-seq`) and prints it;
    /// returns its sequence number.
    func take(_ request: borrowing Message) -> Int {
        guard printing else {
            traffic?.add(bytes: request.count)
            if let sequences { request.withUnsafeBytes { sequences.observeShared($0, pipe: request.pipe) } }
            return arrivals.add(1, ordering: .relaxed).newValue
        }
        lock.lock()
        let wasEmpty = state.pointee.filling.isEmpty
        state.pointee.received += 1
        let sequence = state.pointee.received
        _ = state.pointee.encoder.encode(request, sequence: sequence, into: &state.pointee.filling)
        var wake = false
        if wasEmpty && !state.pointee.filling.isEmpty {
            state.pointee.holdUntil = MonotonicDeadline.after(longestHold)!
            wake = state.pointee.writerWait == .anything
        }
        if state.pointee.filling.count >= chunkSize {
            if state.pointee.handOverFilling() { wake = state.pointee.writerWait != .none } else { state.pointee.paused = true }
        }
        lock.unlock()
        if wake { lock.signal() }
        return sequence
    }

    /// Whether responder `index` may receive another request: not while both
    /// chunks are taken (it is parked until `recycle(_:)` gives it back), nor
    /// once `--count` requests have been handed out.
    func mayReceive(_ index: Int) -> Bool {
        if printing {
            lock.lock()
            if state.pointee.paused {
                state.pointee.parked.append(index)
                lock.unlock()
                return false
            }
            lock.unlock()
        }
        guard let count, claimed.add(1, ordering: .relaxed).newValue > count else { return true }
        update { $0.done += 1 }
        return false
    }

    /// A line for stderr, written by the writer.
    func note(_ line: String) { update { $0.notes.append(line) } }

    /// A responder's chain ended: the first such error ends the run.
    func end(_ error: NNGError) { update { if $0.ending == nil { $0.ending = error } } }

    private func update(_ change: (inout State) -> Void) {
        lock.lock()
        change(&state.pointee)
        let wake = state.pointee.writerWait != .none
        lock.unlock()
        if wake { lock.signal() }
    }

    // MARK: From the writer

    /// The next thing to do: a full chunk at once, the partly filled one once
    /// no request has arrived for `quiet` (or its first bytes have waited
    /// `longestHold`), lines for stderr, or the end. Recycle each chunk before
    /// asking again: there are only two.
    func next(quiet: Duration) -> Next {
        lock.lock()
        defer { lock.unlock() }
        var seen = -1
        while true {
            if let bytes = state.pointee.ready.take() { return .bytes(bytes) }
            if !state.pointee.notes.isEmpty {
                defer { state.pointee.notes.removeAll() }
                return .notes(state.pointee.notes)
            }
            let holding = !state.pointee.filling.isEmpty
            let finished = state.pointee.ending != nil || state.pointee.done >= responders
            if holding && (finished || state.pointee.received == seen || state.pointee.holdUntil.hasPassed) {
                precondition(state.pointee.handOverFilling(), "ReplyOutput.next before the previous chunk was recycled")
                continue
            }
            if !holding && finished { return .finished(state.pointee.ending) }
            seen = state.pointee.received
            state.pointee.writerWait = holding ? .handOff : .anything
            lock.wait(until: holding ? min(MonotonicDeadline.after(quiet)!, state.pointee.holdUntil) : nil)
            state.pointee.writerWait = .none
        }
    }

    /// Gives a written chunk back. If the responders were paused, hands the
    /// full chunk over and returns the parked ones, for the caller to resume.
    func recycle(_ bytes: consuming [UInt8]) -> [Int] {
        var chunk = bytes
        // A chunk that grew for huge requests does not keep its memory.
        if chunk.capacity > 4 * chunkSize { chunk = Self.freshChunk(chunkSize) } else { chunk.removeAll(keepingCapacity: true) }
        lock.lock()
        defer { lock.unlock() }
        state.pointee.spare = consume chunk
        guard state.pointee.paused else { return [] }
        state.pointee.paused = false
        _ = state.pointee.handOverFilling()
        defer { state.pointee.parked.removeAll() }
        return state.pointee.parked
    }
}
