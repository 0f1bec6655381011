internal import CNNG
import Synchronization

/// A peer connecting to or leaving a socket.
public struct PeerEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable { case connected, disconnected }
    public let kind: Kind
    public let pipe: Pipe
    /// The peer's address as the transport reports it, when known.
    public let remoteAddress: String?
}

/// Counts a socket's connected peers and reports their comings and goings.
/// Fed by `nng_pipe_notify` callbacks on NNG's threads.
public final class PeerTracker: @unchecked Sendable {
    // `lock` guards `ledger`, `handlers` and `stopped`; waiters sleep on it.
    private let lock = ConditionLock()
    private var ledger = PeerLedger()
    private var stopped = false
    private var handlers: [@Sendable (PeerEvent) -> Void] = []

    init() {}

    func register(on socket: nng_socket) throws(NNGError) {
        let argument = Unmanaged.passUnretained(self).toOpaque()
        try check(nng_pipe_notify(socket, NNG_PIPE_EV_ADD_POST, pipeEventOccurred, argument), "watch peers")
        try check(nng_pipe_notify(socket, NNG_PIPE_EV_REM_POST, pipeEventOccurred, argument), "watch peers")
    }

    /// The number of peers connected now.
    public var connectedCount: Int { lock.withLock { ledger.count } }

    /// Calls `handler` on an NNG thread for every peer event from now on,
    /// after any handlers added before. It must not block.
    ///
    /// With `replayingConnected`, `handler` first hears, on this thread, of
    /// the peers already connected: each peer's arrival reaches it exactly
    /// once, either so or from NNG (a departure can overtake a replayed arrival).
    public func onEvent(replayingConnected: Bool = false, _ handler: @escaping @Sendable (PeerEvent) -> Void) {
        let present = lock.withLock {
            handlers.append(handler)
            return replayingConnected ? ledger.connectedPipes : []
        }
        for (pipe, address) in present {
            handler(PeerEvent(kind: .connected, pipe: Pipe(id: pipe), remoteAddress: address))
        }
    }

    /// Blocks until at least `minimum` peers are connected; false if `timeout`
    /// ended first or the socket was closed meanwhile.
    public func waitForPeers(_ minimum: Int, timeout: Duration?) -> Bool {
        let deadline = MonotonicDeadline.after(timeout)
        lock.lock()
        defer { lock.unlock() }
        while ledger.count < minimum {
            if stopped || !lock.wait(until: deadline) { return ledger.count >= minimum }
        }
        return true
    }

    /// Wakes every `waitForPeers` for good: the socket is closed, so no peer
    /// can come (a socket without pipes gets no event that would wake them).
    func stopWaiting() {
        lock.withLock {
            stopped = true
            lock.broadcast()
        }
    }

    fileprivate func record(_ pipe: nng_pipe, _ event: nng_pipe_ev) {
        let connected = event == NNG_PIPE_EV_ADD_POST
        // Read the address outside the lock: it is a call into libnng.
        let fresh = connected ? Pipe(id: pipe.id).remoteAddress : nil
        let (handlers, address) = lock.withLock { () -> ([@Sendable (PeerEvent) -> Void], String?) in
            let address: String?
            if connected {
                guard ledger.add(pipe.id, address: fresh) else { return ([], nil) }
                address = fresh
            } else {
                guard let known = ledger.remove(pipe.id) else { return ([], nil) }
                address = known
            }
            lock.broadcast()
            return (self.handlers, address)
        }
        let event = PeerEvent(kind: connected ? .connected : .disconnected, pipe: Pipe(id: pipe.id), remoteAddress: address)
        for handler in handlers { handler(event) }
    }
}

/// The pipe-notification callback: named and file-scope, for the same reason as the aio one.
private func pipeEventOccurred(_ pipe: nng_pipe, _ event: nng_pipe_ev, _ argument: UnsafeMutableRawPointer?) {
    guard let argument else { return }
    Unmanaged<PeerTracker>.fromOpaque(argument).takeUnretainedValue().record(pipe, event)
}
