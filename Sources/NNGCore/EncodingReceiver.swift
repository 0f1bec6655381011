internal import CNNG

/// The receive path for output that needs nothing but the message: a chain
/// of receives whose completion callback hands each message to a sink that
/// encodes it into one of two byte chunks, and hands full chunks to a writer
/// thread. This is what a C receiver does (append in the callback, write in
/// large blocks): no message crosses threads, and the writer wakes once per
/// chunk instead of once per batch of messages.
///
/// A chunk that fills while the writer still has the other one keeps
/// filling, up to `lagSize`: a writer thread wakes later than a C receiver's
/// inline write would start, and a pause per late wake-up cost the chain
/// (over tcp at 4 to 16 KiB, 40-55% of 256 KiB chunks ended in a pause).
/// Past that the chain stops re-arming its receive, so the peer feels
/// back-pressure, and `recycle(_:)` re-arms it once the writer has written
/// one. The callback never blocks, never does I/O and never frees the aio.
public final class EncodingReceiver: @unchecked Sendable {
    /// What the sink did with a message.
    public enum Disposition: Sendable {
        /// Its encoding was appended to the chunk; the receiver frees the message.
        case appended
        /// Nothing was appended: the writer gets the message itself after the
        /// chunk's bytes (a body too large to be worth copying), and the chunk
        /// is handed over at once.
        case handOver
    }

    /// What the writer writes: `bytes`, then the body of `message` if the
    /// sink handed one over. Give `bytes` back with `recycle(_:)`.
    public struct Output: ~Copyable {
        public var bytes: [UInt8]
        public var message: Message?
    }

    /// What wakes a waiting writer.
    private enum WriterWait {
        case none
        /// Nothing was buffered when it went to sleep: the first bytes wake it.
        case anything
        /// Bytes are buffered: only a full chunk, a pause or the end wakes it
        /// before its quiet deadline, so a stream costs one wake-up per chunk.
        case handOff
    }

    /// What the lock guards. Kept behind a pointer: the callback touches it
    /// around a call into the sink, and as a class's stored properties every
    /// such access would be checked for exclusivity at run time (a quarter of
    /// our instructions per message), where the lock already excludes others.
    private struct Chain: ~Copyable {
        /// The chunk the callback appends to.
        var filling: [UInt8]
        /// A message the sink handed over: it follows `filling`'s bytes, which take no more.
        var fillingMessage: Message?
        /// `longestHold` after `filling` took its first bytes: handed over then at the latest.
        var holdUntil = MonotonicDeadline.now
        /// A chunk handed over, waiting for the writer.
        var ready: [UInt8]?
        var readyMessage: Message?
        /// The empty chunk, when the writer has given it back.
        var spare: [UInt8]?
        var paused = false
        var received = 0
        var limitReached = false
        var failure: NNGError?
        var closed = false
        var writerWait = WriterWait.none
        /// The aio, used only while `closed` is false (`close()` frees it).
        var raw: OpaquePointer?

        // Moves `filling` to `ready` and the spare chunk into its place.
        // False when there is no spare chunk.
        mutating func handOverFilling() -> Bool {
            guard let empty = spare.take() else { return false }
            ready = filling
            readyMessage = fillingMessage.take()
            filling = empty
            return true
        }
    }

    // `lock` guards `chain` and the sink's state; the aio itself is libnng's
    // to serialise. The sink runs under the lock, so never concurrently with itself.
    private let lock = ConditionLock()
    private let chain: UnsafeMutablePointer<Chain>
    /// Owned here until `close()` takes it out.
    private var aio: AIOHandle?
    private let socket: Socket
    private let chunkSize: Int
    private let lagSize: Int
    private let limit: Int?
    private let longestHold: Duration
    private let encode: (inout [UInt8], borrowing Message, Int) -> Disposition

    /// - Parameters:
    ///   - chunkSize: bytes after which a chunk is handed to the writer.
    ///   - lagSize: bytes the filling chunk may grow to while the writer still
    ///     has the other one (default 4 × `chunkSize`); the chain pauses only
    ///     then. Each of the two chunks holds at most this plus one message's
    ///     encoding.
    ///   - limit: messages to take in all; the chain stops after the last,
    ///     leaving the next one in the socket.
    ///   - idleTimeout: each receive fails with `.timedOut` after this long without a message.
    ///   - longestHold: how long buffered bytes may wait for their chunk to
    ///     fill while messages keep arriving (so a steady trickle still shows promptly).
    ///   - state: the sink's own state, handed to it by reference on every call
    ///     and guarded by the receiver's lock.
    ///   - sink: appends a message's encoding to the chunk, given the message's
    ///     1-based sequence number. Runs in the aio callback on one of NNG's
    ///     threads: it must not block or do I/O.
    public init<State: Sendable>(socket: Socket, chunkSize: Int = 256 << 10, lagSize: Int? = nil, limit: Int? = nil,
                                 idleTimeout: Timeout = .infinite, longestHold: Duration = .milliseconds(20), state: State,
                                 sink: @escaping @Sendable (inout State, inout [UInt8], borrowing Message, Int) -> Disposition) throws(NNGError) {
        self.socket = socket
        self.chunkSize = max(1, chunkSize)
        self.lagSize = max(self.chunkSize, lagSize ?? 4 * self.chunkSize)
        self.limit = limit
        self.longestHold = longestHold
        let box = SinkState(state)
        encode = { chunk, message, sequence in sink(&box.pointer.pointee, &chunk, message, sequence) }
        chain = .allocate(capacity: 1)
        chain.initialize(to: Chain(filling: Self.freshChunk(self.chunkSize), spare: Self.freshChunk(self.chunkSize)))
        // Unretained: close(), which deinit runs too, frees the aio first.
        let handle = try AIOHandle(calling: encodingReceiverDidComplete, with: Unmanaged.passUnretained(self).toOpaque())
        nng_aio_set_timeout(handle.raw, idleTimeout.nngDuration)
        chain.pointee.raw = handle.raw
        aio = consume handle
    }

    deinit {
        close()
        chain.deinitialize(count: 1)
        chain.deallocate()
    }

    /// An empty chunk with room for a full one and the message that overfills it.
    private static func freshChunk(_ size: Int) -> [UInt8] {
        var chunk: [UInt8] = []
        chunk.reserveCapacity(size + size / 4)
        return chunk
    }

    /// Starts the receive chain.
    public func start() {
        lock.lock()
        if let limit, limit <= 0 { chain.pointee.limitReached = true }
        let raw = chain.pointee.limitReached || chain.pointee.closed ? nil : chain.pointee.raw
        lock.unlock()
        if let raw { nng_recv_aio(socket.raw, raw) }
    }

    /// Messages given to the sink so far.
    public var receivedCount: Int { lock.withLock { chain.pointee.received } }

    /// The next output to write: a full chunk at once, or the partly filled
    /// one once no message has arrived for `quiet`, or once its first bytes
    /// have waited `longestHold`.
    /// Returns nil after the `limit`th message's output; throws the chain's
    /// error (such as `.timedOut` after the idle timeout, or `.closed`) once
    /// everything before it was returned. Recycle each output's bytes before
    /// asking for the next: the chain has only two chunks.
    public func nextOutput(quiet: Duration) throws(NNGError) -> Output? {
        lock.lock()
        var seen = -1
        while true {
            if let bytes = chain.pointee.ready.take() {
                let output = Output(bytes: bytes, message: chain.pointee.readyMessage.take())
                lock.unlock()
                return output
            }
            let holding = !chain.pointee.filling.isEmpty || chain.pointee.fillingMessage != nil
            let finished = chain.pointee.limitReached || chain.pointee.failure != nil
            if holding && (finished || chain.pointee.received == seen || chain.pointee.holdUntil.hasPassed) {
                precondition(chain.pointee.handOverFilling(), "EncodingReceiver.nextOutput before the previous output was recycled")
                continue
            }
            if !holding && finished {
                let failure = chain.pointee.failure
                lock.unlock()
                if let failure { throw failure }
                return nil
            }
            seen = chain.pointee.received
            chain.pointee.writerWait = holding ? .handOff : .anything
            lock.wait(until: holding ? min(MonotonicDeadline.after(quiet)!, chain.pointee.holdUntil) : nil)
            chain.pointee.writerWait = .none
        }
    }

    /// Gives a written chunk back. If the chain paused because both chunks
    /// were taken, this hands the full one over and re-arms the receive.
    public func recycle(_ bytes: consuming [UInt8]) {
        var chunk = bytes
        // A chunk that grew for a huge message does not keep its memory (one
        // that grew while the writer lagged does: it may lag again).
        if chunk.capacity > 2 * lagSize { chunk = Self.freshChunk(chunkSize) } else { chunk.removeAll(keepingCapacity: true) }
        lock.lock()
        chain.pointee.spare = consume chunk
        var resume: OpaquePointer?
        if chain.pointee.paused && !chain.pointee.closed {
            chain.pointee.paused = false
            _ = chain.pointee.handOverFilling()
            if !chain.pointee.limitReached && chain.pointee.failure == nil { resume = chain.pointee.raw }
        } else if chain.pointee.filling.count >= chunkSize {
            // It filled while the writer was busy: ready for the writer's next call.
            _ = chain.pointee.handOverFilling()
        }
        lock.unlock()
        if let resume { nng_recv_aio(socket.raw, resume) }
    }

    /// Stops the chain; what it still holds is freed. Idempotent; not from a callback.
    public func close() {
        lock.lock()
        chain.pointee.closed = true
        let aio = self.aio.take()
        lock.unlock()
        guard let aio else { return }
        aio.free()
        lock.withLock {
            chain.pointee.fillingMessage = nil
            chain.pointee.readyMessage = nil
        }
    }

    fileprivate func receiveCompleted() {
        lock.lock()
        guard !chain.pointee.closed, let raw = chain.pointee.raw else {
            lock.unlock()
            return
        }
        let result = nng_aio_result(raw)
        var resubmit = false, wake = false
        var spent: Message?
        if result == 0, let pointer = nng_aio_get_msg(raw) {
            nng_aio_set_msg(raw, nil)
            let message = Message(adopting: pointer)
            let wasEmpty = chain.pointee.filling.isEmpty
            chain.pointee.received += 1
            switch encode(&chain.pointee.filling, message, chain.pointee.received) {
            case .appended: spent = consume message
            case .handOver: chain.pointee.fillingMessage = consume message
            }
            if wasEmpty && (!chain.pointee.filling.isEmpty || chain.pointee.fillingMessage != nil) {
                chain.pointee.holdUntil = MonotonicDeadline.after(longestHold)!
                wake = chain.pointee.writerWait == .anything
            }
            if chain.pointee.fillingMessage != nil || chain.pointee.filling.count >= chunkSize {
                if chain.pointee.handOverFilling() {
                    wake = chain.pointee.writerWait != .none
                } else if chain.pointee.fillingMessage != nil || chain.pointee.filling.count >= lagSize {
                    chain.pointee.paused = true
                }
                // Otherwise the writer still has the other chunk: this one
                // keeps filling rather than stopping the chain, so a writer
                // that wakes late costs no pause and catches up with one larger write.
            }
            if let limit, chain.pointee.received >= limit {
                chain.pointee.limitReached = true
                wake = chain.pointee.writerWait != .none
            } else {
                resubmit = !chain.pointee.paused
            }
        } else {
            chain.pointee.failure = NNGError(NNGError.Code(rawValue: result), operation: "receive")
            wake = chain.pointee.writerWait != .none
        }
        lock.unlock()
        // Signalled after unlocking: a writer woken while the lock is still
        // held only blocks on it again. It cannot miss the signal: it waits
        // from before it set `writerWait`.
        if wake { lock.signal() }
        if resubmit { nng_recv_aio(socket.raw, raw) }
        _ = consume spent  // freed outside the lock
    }
}

/// The sink's state, on the heap so the sink can mutate it in place (through
/// a pointer, for the reason `Chain` gives). Touched only by
/// `EncodingReceiver.encode`, which runs with the receiver's lock held.
private final class SinkState<Value>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Value>
    init(_ value: Value) {
        pointer = .allocate(capacity: 1)
        pointer.initialize(to: value)
    }
    deinit {
        pointer.deinitialize(count: 1)
        pointer.deallocate()
    }
}

private func encodingReceiverDidComplete(_ argument: UnsafeMutableRawPointer?) {
    guard let argument else { return }
    Unmanaged<EncodingReceiver>.fromOpaque(argument).takeUnretainedValue().receiveCompleted()
}
