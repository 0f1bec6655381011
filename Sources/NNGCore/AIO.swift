internal import CNNG
import Synchronization

/// One asynchronous I/O handle: a send, a receive or a sleep at a time, each
/// with its own timeout and cancellable. The corresponding C type is `nng_aio`.
///
/// Start an operation with one of the `start…` methods, then either block in
/// `wait()`, suspend in `completion()`, or wait for the first of several
/// handles with `AIO.waitForFirst(of:timeout:)`.
public final class AIO: @unchecked Sendable {
    // `handle` is written once in init and valid until close(), which frees
    // it through `completionState.aio`; libnng serialises access to the aio itself.
    let handle: OpaquePointer
    private let completionState: AIOCompletion
    private let closed = Atomic<Bool>(false)

    /// The corresponding C function is `nng_aio_alloc`.
    public init() throws(NNGError) {
        let completion = AIOCompletion()
        // Unretained: the aio cannot outlive `completionState`, since close()
        // frees the aio (waiting for any callback) before this object goes.
        let aio = try AIOHandle(calling: aioDidComplete, with: Unmanaged.passUnretained(completion).toOpaque())
        handle = aio.raw
        completion.aio = consume aio
        completionState = completion
    }

    deinit { close() }

    /// Stops any operation (it completes with `.canceled`), frees a message
    /// still held, and frees the handle. Idempotent. Never call it from inside
    /// a completion of this same handle.
    /// The corresponding C functions are `nng_aio_stop` and `nng_aio_free`.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        completionState.free()
    }

    // MARK: Starting operations

    /// Hands `message` to the socket. On failure the message stays with the
    /// aio: take it back with `takeMessage()`. The corresponding C function is `nng_send_aio`.
    public func startSend(_ message: consuming Message, on socket: Socket, timeout: Timeout = .infinite) {
        prepare(timeout, sending: true)
        nng_aio_set_msg(handle, message.release())
        nng_send_aio(socket.raw, handle)
    }

    /// The corresponding C function is `nng_recv_aio`.
    public func startReceive(on socket: Socket, timeout: Timeout = .infinite) {
        prepare(timeout)
        nng_recv_aio(socket.raw, handle)
    }

    /// The corresponding C function is `nng_ctx_send`.
    public func startSend(_ message: consuming Message, on context: Context, timeout: Timeout = .infinite) {
        prepare(timeout, sending: true)
        nng_aio_set_msg(handle, message.release())
        nng_ctx_send(context.raw, handle)
    }

    /// The corresponding C function is `nng_ctx_recv`.
    public func startReceive(on context: Context, timeout: Timeout = .infinite) {
        prepare(timeout)
        nng_ctx_recv(context.raw, handle)
    }

    /// Completes successfully after `duration`; a timer that can take part in
    /// `waitForFirst`. The corresponding C function is `nng_sleep_aio`.
    public func startSleep(_ duration: Duration) {
        completionState.reset()
        nng_sleep_aio(duration.nngMilliseconds, handle)
    }

    private func prepare(_ timeout: Timeout, sending: Bool = false) {
        completionState.reset(sending: sending)
        nng_aio_set_timeout(handle, timeout.nngDuration)
    }

    // MARK: Results

    /// Asks the operation to stop; it completes with `.canceled` unless it already finished.
    /// The corresponding C function is `nng_aio_cancel`.
    public func cancel() { nng_aio_cancel(handle) }

    /// Whether the current operation has completed (its callback has run).
    public var isDone: Bool { completionState.isDone }

    /// Blocks the calling thread until the operation completes. Not for async code.
    /// The corresponding C function is `nng_aio_wait`.
    public func wait() { nng_aio_wait(handle) }

    /// The outcome of the finished operation. The corresponding C function is `nng_aio_result`.
    public func result() throws(NNGError) {
        try check(nng_aio_result(handle), "aio")
    }

    /// Takes the message out of the aio: the received one after a receive, or
    /// the unsent one after a failed send. The corresponding C function is `nng_aio_get_msg`.
    public func takeMessage() -> Message? {
        guard let pointer = completionState.aio?.takeMessage() else { return nil }
        return Message(adopting: pointer)
    }

    /// Suspends until the operation completes. Cancelling the task cancels the
    /// aio: the operation must already be started, so a cancellation that came
    /// first is seen by the handler at once rather than lost.
    public func completion() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                completionState.resume(whenDone: continuation)
            }
        } onCancel: {
            nng_aio_cancel(handle)
        }
    }

    /// Blocks until the first of `handles` has completed, or `timeout` ends.
    /// Returns the index of a completed handle, or `nil` on timeout. Handles
    /// already complete count at once (the shape of POSIX `aio_suspend`).
    public static func waitForFirst(of handles: [AIO], timeout: Duration?) -> Int? {
        let deadline = MonotonicDeadline.after(timeout)
        let signal = ConditionLock()
        signal.lock()
        defer { signal.unlock() }
        for handle in handles { handle.completionState.addObserver(signal) }
        defer { for handle in handles { handle.completionState.removeObserver(signal) } }
        while true {
            if let index = handles.firstIndex(where: { $0.completionState.isDone }) { return index }
            if !signal.wait(until: deadline) {
                return handles.firstIndex(where: { $0.completionState.isDone })
            }
        }
    }
}

/// The part of an aio that its C callback touches: the handle, done flag,
/// waiter and observers.
final class AIOCompletion: @unchecked Sendable {
    // Written once before the first operation starts, then only read, until
    // free() takes it out once no callback can run.
    var aio: AIOHandle?

    // `lock` guards the four fields below. A pthread mutex rather than
    // `Synchronization.Mutex`, whose futex path ThreadSanitizer does not model.
    private let lock = ConditionLock()
    private var done = true
    private var sending = false
    private var continuation: CheckedContinuation<Void, Never>?
    private var observers: [ObjectIdentifier: ConditionLock] = [:]

    var isDone: Bool { lock.withLock { done } }

    func reset(sending: Bool = false) {
        lock.withLock {
            done = false
            self.sending = sending
        }
    }

    func resume(whenDone continuation: CheckedContinuation<Void, Never>) {
        let resumeNow = lock.withLock { () -> Bool in
            if done { return true }
            self.continuation = continuation
            return false
        }
        if resumeNow { continuation.resume() }
    }

    func addObserver(_ observer: ConditionLock) {
        lock.withLock { observers[ObjectIdentifier(observer)] = observer }
    }

    func removeObserver(_ observer: ConditionLock) {
        _ = lock.withLock { observers.removeValue(forKey: ObjectIdentifier(observer)) }
    }

    /// Stops the operation in progress, waiting for its callback, and frees the aio.
    func free() {
        aio?.stop()
        aio.take()?.free()
    }

    /// Runs on an NNG thread: records completion and wakes whoever waits. It
    /// never blocks beyond a short lock and never frees the aio.
    func complete() {
        // Settle the message slot before a waiter can look at it.
        if lock.withLock({ sending }) { _ = aio?.sendResult() }
        let (waiter, watching) = lock.withLock { () -> (CheckedContinuation<Void, Never>?, [ConditionLock]) in
            done = true
            let waiter = continuation
            continuation = nil
            return (waiter, Array(observers.values))
        }
        waiter?.resume()
        for observer in watching {
            observer.lock()
            observer.broadcast()
            observer.unlock()
        }
    }
}

/// The aio completion callback. A named file-scope function in a nonisolated
/// file: a closure formed in main-actor code would trap on NNG's threads.
private func aioDidComplete(_ argument: UnsafeMutableRawPointer?) {
    guard let argument else { return }
    Unmanaged<AIOCompletion>.fromOpaque(argument).takeUnretainedValue().complete()
}
