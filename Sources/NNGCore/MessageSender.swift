internal import CNNG

/// The streaming send path: a producer thread queues messages (blocking when
/// the bounded queue is full) and one aio's completion callback sends the
/// next queued message as soon as the previous one is accepted.
/// Order is kept: one send is outstanding at a time.
public final class MessageSender: @unchecked Sendable {
    /// What the lock guards. Kept behind a pointer, as `EncodingReceiver`'s
    /// chain is: as a class's stored properties, each access from the
    /// producer and from the callback was checked for exclusivity at run time
    /// (about 300 instructions a message, 5% of `send`'s at 256 bytes), where
    /// the lock already excludes others.
    private struct State {
        var ring: MessageRing
        var inFlight = false
        var producerWaiting = false
        var failure: NNGError?
        var closed = false
        var accepted = 0
        var lost = 0
        /// The aio while `aio` holds it; nil once `close()` has stopped it,
        /// and a callback that finds it gone does nothing.
        var raw: OpaquePointer?
    }

    // `lock` guards `state`.
    private let lock = ConditionLock()
    private let state: UnsafeMutablePointer<State>
    /// Owned here until `close()` takes it out (under the lock).
    private var aio: AIOHandle?
    private let socket: Socket

    /// - Parameters:
    ///   - capacity: messages queued before `send` blocks.
    ///   - timeout: each send fails with `.timedOut` if the socket does not take it within this time.
    public init(socket: Socket, capacity: Int = 1024, timeout: Timeout = .infinite) throws(NNGError) {
        self.socket = socket
        state = .allocate(capacity: 1)
        state.initialize(to: State(ring: MessageRing(capacity: capacity)))
        do {
            // Unretained: close(), which deinit runs too, frees the aio first.
            let handle = try AIOHandle(calling: senderDidComplete, with: Unmanaged.passUnretained(self).toOpaque())
            nng_aio_set_timeout(handle.raw, timeout.nngDuration)
            state.pointee.raw = handle.raw
            aio = consume handle
        } catch {
            // deinit still runs (every stored property is set) and frees `state`.
            _ = state.pointee.ring.destroy()
            throw error
        }
    }

    deinit {
        close()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Messages the socket has accepted so far.
    public var acceptedCount: Int { lock.withLock { state.pointee.accepted } }

    /// Queues `message`, waiting while the queue is full. Throws the first
    /// send error of the chain; after one, nothing more is sent.
    public func send(_ message: consuming Message) throws(NNGError) {
        lock.lock()
        while state.pointee.ring.isFull && state.pointee.failure == nil && !state.pointee.closed {
            state.pointee.producerWaiting = true
            lock.wait(until: nil)
            state.pointee.producerWaiting = false
        }
        if let failure = state.pointee.failure {
            lock.unlock()
            throw failure
        }
        guard !state.pointee.closed, let raw = state.pointee.raw else {
            lock.unlock()
            throw NNGError(.closed, operation: "send")
        }
        if state.pointee.inFlight {
            state.pointee.ring.push(message.release())
            lock.unlock()
        } else {
            state.pointee.inFlight = true
            lock.unlock()
            nng_aio_set_msg(raw, message.release())
            nng_send_aio(socket.raw, raw)
        }
    }

    /// Waits until every queued message has been accepted by the socket, or
    /// the deadline passes; then cancels what is left. Returns how many
    /// messages were not accepted (0 means all were), and the chain's error if any.
    public func finish(until deadline: MonotonicDeadline?) -> (notAccepted: Int, error: NNGError?) {
        lock.lock()
        while (state.pointee.inFlight || !state.pointee.ring.isEmpty) && state.pointee.failure == nil {
            state.pointee.producerWaiting = true
            let signalled = lock.wait(until: deadline)
            state.pointee.producerWaiting = false
            if !signalled { break }
        }
        let stillBusy = state.pointee.inFlight
        let raw = state.pointee.raw
        lock.unlock()
        if stillBusy, let raw {
            nng_aio_cancel(raw)
            nng_aio_wait(raw)
        }
        return lock.withLock {
            let notAccepted = state.pointee.lost + state.pointee.ring.count
            return (notAccepted, state.pointee.failure)
        }
    }

    /// Stops the chain and frees what is queued. Idempotent; not from a callback.
    public func close() {
        lock.lock()
        state.pointee.closed = true
        if state.pointee.producerWaiting { lock.broadcast() }
        let aio = self.aio.take()
        lock.unlock()
        guard let aio else { return }
        // The last callback runs while `raw` is still set, so it settles its
        // send: a sent message is the socket's, an unsent one is freed.
        // `closed` keeps it from starting another.
        aio.stop()
        lock.withLock { state.pointee.raw = nil }
        aio.free()
        lock.withLock { _ = state.pointee.ring.destroy() }
    }

    fileprivate func sendCompleted() {
        lock.lock()
        guard let raw = state.pointee.raw else {
            lock.unlock()
            return
        }
        let result = AIOHandle.sendResult(of: raw)
        var next: OpaquePointer?
        if result == 0 {
            state.pointee.accepted += 1
            if !state.pointee.closed { next = state.pointee.ring.pop() }
            if next == nil { state.pointee.inFlight = false }
        } else {
            // A failed send leaves the message on the aio: it is ours to free.
            AIOHandle.discardMessage(of: raw)
            state.pointee.lost += 1
            state.pointee.inFlight = false
            if state.pointee.failure == nil { state.pointee.failure = NNGError(NNGError.Code(rawValue: result), operation: "send") }
        }
        // Wake a producer blocked on a full queue only once half of it has
        // drained, not per message: each wake-up is a context switch.
        if state.pointee.producerWaiting
            && (state.pointee.ring.count <= state.pointee.ring.capacity / 2 || !state.pointee.inFlight || state.pointee.failure != nil) {
            lock.broadcast()
        }
        lock.unlock()
        if let next {
            nng_aio_set_msg(raw, next)
            nng_send_aio(socket.raw, raw)
        }
    }
}

private func senderDidComplete(_ argument: UnsafeMutableRawPointer?) {
    guard let argument else { return }
    Unmanaged<MessageSender>.fromOpaque(argument).takeUnretainedValue().sendCompleted()
}
