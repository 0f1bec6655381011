internal import CNNG

/// The streaming receive path: one aio whose completion callback chains the
/// next receive straight away, filling a bounded queue that an ordinary
/// thread drains. When the queue is full the chain pauses (no receive is
/// outstanding, so the peer feels back-pressure) and the consumer restarts it.
///
/// This costs about what a C callback chain costs, far less than one `await`
/// per message. The callback never blocks, never does file I/O and never frees the aio.
public final class MessageReceiver: @unchecked Sendable {
    // `lock` guards every `var` below; the aio handle itself is libnng's to serialise.
    private let lock = ConditionLock()
    private var ring: MessageRing
    /// Body and header bytes of the queued messages; the chain also pauses
    /// once they reach `byteLimit`, so large messages cannot pile up.
    private var queuedBytes = 0
    private let byteLimit: Int
    private var paused = false
    private var consumerWaiting = false
    /// How many queued messages wake a waiting consumer (see `waitForMessagesLocked`).
    private var wakeThreshold = 1
    static let batch = 64
    static let batchWait: Duration = .milliseconds(1)
    private var failure: NNGError?
    private var closed = false
    /// Taken out (under the lock) by `close()`; a callback that finds it gone does nothing.
    private var aio: AIOHandle?
    private let socket: Socket
    private let idleTimeout: Timeout

    /// - Parameters:
    ///   - capacity: messages buffered before the chain pauses.
    ///   - byteLimit: bytes buffered before the chain pauses (one message is always taken).
    ///   - idleTimeout: each receive fails with `.timedOut` after this long without a message.
    public init(socket: Socket, capacity: Int = 1024, byteLimit: Int = 8 << 20, idleTimeout: Timeout = .infinite) throws(NNGError) {
        self.socket = socket
        self.byteLimit = byteLimit
        self.idleTimeout = idleTimeout
        ring = MessageRing(capacity: capacity)
        do {
            // Unretained: close(), which deinit runs too, frees the aio first.
            let handle = try AIOHandle(calling: receiverDidComplete, with: Unmanaged.passUnretained(self).toOpaque())
            nng_aio_set_timeout(handle.raw, idleTimeout.nngDuration)
            aio = consume handle
        } catch {
            _ = ring.destroy()
            throw error
        }
    }

    deinit { close() }

    /// Starts the receive chain.
    public func start() {
        guard let raw = aio?.raw else { return }
        nng_recv_aio(socket.raw, raw)
    }

    /// The next message, waiting for one until `deadline` (nil: no limit).
    /// Returns nil when the deadline passes; throws the chain's error (such as
    /// `.timedOut` after the idle timeout, or `.closed`) once the queue is drained.
    public func next(until deadline: MonotonicDeadline? = nil) throws(NNGError) -> Message? {
        lock.lock()
        guard try waitForMessagesLocked(until: deadline) else {
            lock.unlock()
            return nil
        }
        let message = ring.pop()!
        queuedBytes -= Self.size(of: message)
        resumeAndUnlock()
        return Message(adopting: message)
    }

    /// A message if one is already queued, without waiting. Never throws: a
    /// failure is reported by the next call to `next(until:)`.
    public func nextIfQueued() -> Message? {
        lock.lock()
        guard let message = ring.pop() else {
            lock.unlock()
            return nil
        }
        queuedBytes -= Self.size(of: message)
        resumeAndUnlock()
        return Message(adopting: message)
    }

    /// Moves queued messages into `batch`, as many as it has room for,
    /// waiting like `next(until:)` while none is queued (and throwing as it
    /// does). Returns false if the deadline passed with nothing queued.
    ///
    /// Messages in a batch no longer count against the queue's limits, so a
    /// consumer holding a full batch can have up to twice as many in memory.
    @discardableResult
    public func takeBatch(into batch: inout MessageBatch, until deadline: MonotonicDeadline? = nil) throws(NNGError) -> Bool {
        lock.lock()
        guard try waitForMessagesLocked(until: deadline) else {
            lock.unlock()
            return false
        }
        while !batch.ring.isFull, let message = ring.pop() {
            queuedBytes -= Self.size(of: message)
            batch.ring.push(message)
        }
        resumeAndUnlock()
        return true
    }

    // Called with the lock held; returns with it held. True once a message
    // is queued, false if the deadline passed first; throws the chain's
    // failure once the queue is empty.
    private func waitForMessagesLocked(until deadline: MonotonicDeadline?) throws(NNGError) -> Bool {
        while ring.isEmpty {
            if let failure {
                lock.unlock()
                throw failure
            }
            // First a short wait in which only a batch wakes us: under a
            // stream, one wake-up per message costs more than the message.
            // If the stream has gone quiet, wait for the very next message.
            consumerWaiting = true
            wakeThreshold = Self.batch
            let batchDeadline = MonotonicDeadline.after(Self.batchWait)!
            var signalled = lock.wait(until: deadline.map { min($0, batchDeadline) } ?? batchDeadline)
            if ring.isEmpty && failure == nil && !(deadline?.hasPassed ?? false) {
                wakeThreshold = 1
                signalled = lock.wait(until: deadline)
            }
            consumerWaiting = false
            if ring.isEmpty && failure == nil && (!signalled || (deadline?.hasPassed ?? false)) {
                return false
            }
        }
        return true
    }

    // Called with the lock held; releases it, restarting a paused chain once
    // the queue is half drained. Resuming at the first free slot would hand
    // every message across threads while the consumer lags behind.
    private func resumeAndUnlock() {
        let resume = paused && !closed && ring.count <= ring.capacity / 2 && queuedBytes <= byteLimit / 2
        if resume { paused = false }
        let raw = aio?.raw
        lock.unlock()
        if resume, let raw { nng_recv_aio(socket.raw, raw) }
    }

    /// Stops the chain and frees what is queued. Idempotent; not from a callback.
    public func close() {
        lock.lock()
        closed = true
        let aio = self.aio.take()
        lock.unlock()
        guard let aio else { return }
        aio.free()
        lock.withLock { _ = ring.destroy() }
    }

    private static func size(of message: OpaquePointer) -> Int {
        nng_msg_len(message) + nng_msg_header_len(message)
    }

    fileprivate func receiveCompleted() {
        lock.lock()
        guard !closed, let raw = aio?.raw else {
            lock.unlock()
            return
        }
        let result = nng_aio_result(raw)
        var resubmit = false
        if result == 0, let message = aio?.takeMessage() {
            ring.push(message)
            queuedBytes += Self.size(of: message)
            if ring.isFull || queuedBytes >= byteLimit { paused = true } else { resubmit = true }
        } else {
            failure = NNGError(NNGError.Code(rawValue: result), operation: "receive")
        }
        let wake = consumerWaiting && (ring.count >= wakeThreshold || paused || failure != nil)
        lock.unlock()
        // Signalled after unlocking: a consumer woken while the lock is still
        // held only blocks on it again, two more futex calls per message.
        // It cannot miss the signal: it waits from before it set the flag.
        if wake { lock.signal() }
        if resubmit { nng_recv_aio(socket.raw, raw) }
    }
}

private func receiverDidComplete(_ argument: UnsafeMutableRawPointer?) {
    guard let argument else { return }
    Unmanaged<MessageReceiver>.fromOpaque(argument).takeUnretainedValue().receiveCompleted()
}
