internal import CNNG
import Synchronization

/// Forwards messages from one raw socket to another (or back into the same
/// one, for a bus) with a single aio: receive, show the message to the tap,
/// send, receive again. One message is in flight at a time, as in
/// `nng_device`, so order is kept and a slow receiving side holds the sending
/// side back through its protocol's own flow control.
///
/// The completion callback never blocks: the tap only copies into a bounded
/// buffer, or counts a drop.
public final class ForwardingChain: @unchecked Sendable {
    private let source: Socket
    private let destination: Socket
    private let tap: MessageTap?
    private let tag: UInt8
    // Written in init and taken by close(); after `start` only the callback
    // chain starts operations on it, one at a time, so `sending` needs no lock.
    private var aio: AIOHandle?
    private var sending = false
    /// The body size of the message being sent, counted once the send succeeds.
    private var inFlightBytes = 0
    private let forwardedCount = Atomic<Int>(0)
    private let forwardedByteCount = Atomic<Int>(0)
    // `lock` guards `ending` and `closed`.
    private let lock = ConditionLock()
    private var ending: NNGError?
    private var closed = false

    /// - Parameters:
    ///   - tap: sees every message before it is sent on, tagged with `tag`.
    public init(from source: Socket, to destination: Socket, tap: MessageTap? = nil, tag: UInt8 = 0) throws(NNGError) {
        self.source = source
        self.destination = destination
        self.tap = tap
        self.tag = tag
        // Unretained: close() frees the aio, waiting for its callback, before this object goes.
        let handle = try AIOHandle(calling: forwardingDidComplete, with: Unmanaged.passUnretained(self).toOpaque())
        aio = consume handle
    }

    deinit { close() }

    /// Starts the chain. The corresponding C function is `nng_recv_aio`.
    public func start() {
        guard let raw = aio?.raw else { return }
        nng_recv_aio(source.raw, raw)
    }

    /// Messages sent on so far.
    public var forwarded: Int { forwardedCount.load(ordering: .relaxed) }

    /// Body bytes of the messages sent on so far (headers not counted).
    public var forwardedBytes: Int { forwardedByteCount.load(ordering: .relaxed) }

    /// Blocks until the chain has stopped (a socket was closed) and returns why.
    @discardableResult
    public func waitUntilStopped() -> NNGError {
        lock.withLock {
            while ending == nil { lock.wait(until: nil) }
            return ending!
        }
    }

    /// Stops the chain and frees the aio and any message it holds.
    /// Idempotent; never from a completion callback.
    public func close() {
        let first = lock.withLock { () -> Bool in
            guard !closed else { return false }
            closed = true
            return true
        }
        guard first, let raw = aio?.raw else { return }
        // Stop first: the callback reads `aio` until the operation in flight has ended.
        nng_aio_stop(raw)
        let handle = aio.take()
        handle?.free()
        end(NNGError(.closed, operation: "forward"))
    }

    private func end(_ error: NNGError) {
        lock.withLock {
            if ending == nil { ending = error }
            lock.broadcast()
        }
    }

    fileprivate func completed() {
        guard let raw = aio?.raw else { return }
        if sending {
            sending = false
            // sendResult empties the slot after a successful pub0 send, which
            // would otherwise leave a freed message there (see AIOHandle).
            let result = aio?.sendResult() ?? CNNG_ECLOSED
            if result == 0 {
                forwardedCount.add(1, ordering: .relaxed)
                forwardedByteCount.add(inFlightBytes, ordering: .relaxed)
            } else {
                aio?.discardMessage()
                if result == CNNG_ECLOSED || result == CNNG_ECANCELED {
                    end(NNGError(NNGError.Code(rawValue: result), operation: "forward"))
                    return
                }
            }
            nng_recv_aio(source.raw, raw)
            return
        }
        let result = nng_aio_result(raw)
        guard result == 0, let message = nng_aio_get_msg(raw) else {
            if result == CNNG_ECLOSED || result == CNNG_ECANCELED {
                end(NNGError(NNGError.Code(rawValue: result), operation: "forward"))
            } else {
                // Anything else (out of memory, a protocol hiccup) concerns one message only.
                nng_recv_aio(source.raw, raw)
            }
            return
        }
        tap?.record(message, tag: tag)
        inFlightBytes = nng_msg_len(message)
        sending = true
        // The message is already on the aio: send it on as received, header and all.
        nng_send_aio(destination.raw, raw)
    }
}

private func forwardingDidComplete(_ argument: UnsafeMutableRawPointer?) {
    guard let argument else { return }
    Unmanaged<ForwardingChain>.fromOpaque(argument).takeUnretainedValue().completed()
}
