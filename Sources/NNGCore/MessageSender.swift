internal import CNNG

/// The streaming send path: a producer thread queues messages (blocking when
/// the bounded queue is full) and one aio's completion callback sends the
/// next queued message as soon as the previous one is accepted.
/// Order is kept: one send is outstanding at a time.
public final class MessageSender: @unchecked Sendable {
    // `lock` guards every `var` below.
    private let lock = ConditionLock()
    private var ring: MessageRing
    private var inFlight = false
    private var producerWaiting = false
    private var failure: NNGError?
    private var closed = false
    /// Taken out (under the lock) by `close()`; a callback that finds it gone does nothing.
    private var aio: AIOHandle?
    private let socket: Socket
    private var accepted = 0
    private var lost = 0

    /// - Parameters:
    ///   - capacity: messages queued before `send` blocks.
    ///   - timeout: each send fails with `.timedOut` if the socket does not take it within this time.
    public init(socket: Socket, capacity: Int = 1024, timeout: Timeout = .infinite) throws(NNGError) {
        self.socket = socket
        ring = MessageRing(capacity: capacity)
        do {
            // Unretained: close(), which deinit runs too, frees the aio first.
            let handle = try AIOHandle(calling: senderDidComplete, with: Unmanaged.passUnretained(self).toOpaque())
            nng_aio_set_timeout(handle.raw, timeout.nngDuration)
            aio = consume handle
        } catch {
            _ = ring.destroy()
            throw error
        }
    }

    deinit { close() }

    /// Messages the socket has accepted so far.
    public var acceptedCount: Int { lock.withLock { accepted } }

    /// Queues `message`, waiting while the queue is full. Throws the first
    /// send error of the chain; after one, nothing more is sent.
    public func send(_ message: consuming Message) throws(NNGError) {
        lock.lock()
        while ring.isFull && failure == nil && !closed {
            producerWaiting = true
            lock.wait(until: nil)
            producerWaiting = false
        }
        if let failure {
            lock.unlock()
            throw failure
        }
        guard !closed, let raw = aio?.raw else {
            lock.unlock()
            throw NNGError(.closed, operation: "send")
        }
        if inFlight {
            ring.push(message.release())
            lock.unlock()
        } else {
            inFlight = true
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
        while (inFlight || !ring.isEmpty) && failure == nil {
            producerWaiting = true
            let signalled = lock.wait(until: deadline)
            producerWaiting = false
            if !signalled { break }
        }
        let stillBusy = inFlight
        let raw = aio?.raw
        lock.unlock()
        if stillBusy, let raw {
            nng_aio_cancel(raw)
            nng_aio_wait(raw)
        }
        return lock.withLock {
            let notAccepted = lost + ring.count
            return (notAccepted, failure)
        }
    }

    /// Stops the chain and frees what is queued. Idempotent; not from a callback.
    public func close() {
        lock.lock()
        closed = true
        if producerWaiting { lock.broadcast() }
        let aio = self.aio.take()
        lock.unlock()
        guard let aio else { return }
        aio.free()
        lock.withLock { _ = ring.destroy() }
    }

    fileprivate func sendCompleted() {
        lock.lock()
        guard let raw = aio?.raw, let result = aio?.sendResult() else {
            lock.unlock()
            return
        }
        var next: OpaquePointer?
        if result == 0 {
            accepted += 1
            if !closed { next = ring.pop() }
            if next == nil { inFlight = false }
        } else {
            // A failed send leaves the message on the aio: it is ours to free.
            aio?.discardMessage()
            lost += 1
            inFlight = false
            if failure == nil { failure = NNGError(NNGError.Code(rawValue: result), operation: "send") }
        }
        // Wake a producer blocked on a full queue only once half of it has
        // drained, not per message: each wake-up is a context switch.
        if producerWaiting && (ring.count <= ring.capacity / 2 || !inFlight || failure != nil) { lock.broadcast() }
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
