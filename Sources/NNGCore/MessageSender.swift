import CNNG

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
    private var aio: OpaquePointer?
    private let socket: Socket
    private var accepted = 0
    private var lost = 0

    /// - Parameters:
    ///   - capacity: messages queued before `send` blocks.
    ///   - timeout: each send fails with `.timedOut` if the socket does not take it within this time.
    public init(socket: Socket, capacity: Int = 1024, timeout: Timeout = .infinite) throws(NNGError) {
        self.socket = socket
        ring = MessageRing(capacity: capacity)
        var pointer: OpaquePointer?
        let result = nng_aio_alloc(&pointer, senderDidComplete, Unmanaged.passUnretained(self).toOpaque())
        if result != 0 {
            _ = ring.destroy()
            try check(result, "allocate aio")
        }
        aio = pointer
        nng_aio_set_timeout(pointer, timeout.nngDuration)
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
        guard let aio, !closed else {
            lock.unlock()
            throw NNGError(.closed, operation: "send")
        }
        if inFlight {
            ring.push(message.release())
            lock.unlock()
        } else {
            inFlight = true
            lock.unlock()
            nng_aio_set_msg(aio, message.release())
            nng_send_aio(socket.raw, aio)
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
        let aio = self.aio
        lock.unlock()
        if stillBusy, let aio {
            nng_aio_cancel(aio)
            nng_aio_wait(aio)
        }
        return lock.withLock {
            let notAccepted = lost + ring.count
            return (notAccepted, failure)
        }
    }

    /// Stops the chain and frees what is queued. Idempotent; not from a callback.
    public func close() {
        let aio: OpaquePointer? = lock.withLock {
            closed = true
            if producerWaiting { lock.broadcast() }
            defer { self.aio = nil }
            return self.aio
        }
        guard let aio else { return }
        nng_aio_stop(aio)
        if let leftover = nng_aio_get_msg(aio) { nng_msg_free(leftover) }
        nng_aio_free(aio)
        lock.withLock { _ = ring.destroy() }
    }

    fileprivate func sendCompleted() {
        lock.lock()
        guard let aio else {
            lock.unlock()
            return
        }
        let result = nng_aio_result(aio)
        var next: OpaquePointer?
        if result == 0 {
            // The message is libnng's now; pub0 (1.5.2) frees it but leaves the
            // pointer on the aio, which close() would otherwise free again.
            nng_aio_set_msg(aio, nil)
            accepted += 1
            if !closed { next = ring.pop() }
            if next == nil { inFlight = false }
        } else {
            // A failed send leaves the message on the aio: it is ours to free.
            if let unsent = nng_aio_get_msg(aio) {
                nng_aio_set_msg(aio, nil)
                nng_msg_free(unsent)
            }
            lost += 1
            inFlight = false
            if failure == nil { failure = NNGError(NNGError.Code(rawValue: result), operation: "send") }
        }
        // Wake a producer blocked on a full queue only once half of it has
        // drained, not per message: each wake-up is a context switch.
        if producerWaiting && (ring.count <= ring.capacity / 2 || !inFlight || failure != nil) { lock.broadcast() }
        lock.unlock()
        if let next {
            nng_aio_set_msg(aio, next)
            nng_send_aio(socket.raw, aio)
        }
    }
}

private func senderDidComplete(_ argument: UnsafeMutableRawPointer?) {
    guard let argument else { return }
    Unmanaged<MessageSender>.fromOpaque(argument).takeUnretainedValue().sendCompleted()
}
