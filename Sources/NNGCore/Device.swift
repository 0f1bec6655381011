internal import CNNG
import Synchronization

/// Forwards messages between two raw sockets inside libnng, both ways where
/// the protocols allow (one way for push/pull and pub/sub), on a thread of
/// its own, until either socket is closed. Passing the same socket twice
/// reflects a bus: what one peer sends reaches every other peer.
/// The corresponding C function is `nng_device`.
public final class Device: @unchecked Sendable {
    private let first: Socket
    private let second: Socket
    // Written once in init, then only read; `joined` makes `wait` idempotent.
    private var thread: OpaquePointer?
    private let joined = Atomic<Bool>(false)
    // Written by the device thread before it ends, read only after joining it.
    fileprivate var outcome: Int32 = 0

    /// Starts forwarding. Both sockets must be raw (`Socket(raw:)`) and of
    /// peer protocols, or the device thread ends at once with `.invalidArgument`.
    public init(_ first: Socket, _ second: Socket) throws(NNGError) {
        self.first = first
        self.second = second
        // Unretained: `wait()` (or deinit) joins the thread before this object goes.
        try check(nng_thread_create(&thread, deviceThreadMain, Unmanaged.passUnretained(self).toOpaque()), "start device")
    }

    /// Blocks until forwarding has stopped: close either socket to stop it.
    /// Returns why it stopped (`.closed` when a socket was closed).
    /// The corresponding C function is `nng_thread_destroy`, which joins the thread.
    @discardableResult
    public func wait() -> NNGError {
        if !joined.exchange(true, ordering: .acquiringAndReleasing), let thread { nng_thread_destroy(thread) }
        return NNGError(NNGError.Code(rawValue: outcome), operation: "forward")
    }

    /// Blocks until the sockets are closed, if nobody waited before.
    deinit { wait() }

    fileprivate func run() { outcome = nng_device(first.raw, second.raw) }
}

private func deviceThreadMain(_ argument: UnsafeMutableRawPointer?) {
    guard let argument else { return }
    Unmanaged<Device>.fromOpaque(argument).takeUnretainedValue().run()
}
