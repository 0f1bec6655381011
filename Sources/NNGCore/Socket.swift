internal import CNNG
import Glibc
import Synchronization

/// An NNG socket of one protocol. Thread-safe, as libnng sockets are.
///
/// Close it explicitly with `close()`; `deinit` closes it too, as a safety net.
/// The corresponding C type is `nng_socket`.
public final class Socket: Sendable {
    let id: UInt32
    public let socketProtocol: SocketProtocol
    private let closed = Atomic<Bool>(false)
    /// Set once a tls+tcp or wss endpoint exists: see `waitForFlush`.
    private let carriesTLS = Atomic<Bool>(false)
    /// Connected peers, fed by NNG's pipe notifications.
    public let peers: PeerTracker

    var raw: nng_socket { nng_socket(id: id) }

    /// Opens a socket. The corresponding C functions are `nng_<protocol>_open`.
    public convenience init(_ socketProtocol: SocketProtocol) throws(NNGError) {
        try self.init(socketProtocol, opening: socketProtocol.open, mode: "")
    }

    /// Opens a socket with `open` (cooked or raw, see Socket+Raw.swift); `mode` names it in errors.
    init(_ socketProtocol: SocketProtocol, opening open: (inout nng_socket) -> Int32, mode: String) throws(NNGError) {
        var socket = nng_socket()
        try check(open(&socket), "open \(mode)\(socketProtocol.rawValue) socket")
        id = socket.id
        self.socketProtocol = socketProtocol
        peers = PeerTracker()
        do {
            try peers.register(on: socket)
        } catch {
            nng_close(socket)
            throw error
        }
    }

    deinit { close() }

    /// Closes the socket, its dialers, listeners and contexts; operations in
    /// flight fail with `.closed`. Idempotent. The corresponding C function is `nng_close`.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        peers.stopWaiting()
        nng_close(raw)
    }

    public var isClosed: Bool { closed.load(ordering: .acquiring) }

    // MARK: Endpoints

    /// Connects to `url`. With `blocking`, the first attempt must succeed and
    /// its error is thrown (e.g. `dial tcp://127.0.0.1:5555: Connection refused`);
    /// without it, NNG keeps retrying in the background.
    /// The corresponding C functions are `nng_dialer_create` and `nng_dialer_start`.
    @discardableResult
    public func dial(_ url: String, tls: TLSConfiguration? = nil, blocking: Bool = true) throws(NNGError) -> Dialer {
        var dialer = nng_dialer()
        do { try check(nng_dialer_create(&dialer, raw, url), "dial", url: url) } catch {
            var failure = error
            failure.duringEndpointCreation = true
            throw failure
        }
        do {
            if Endpoint.usesTLS(url) { carriesTLS.store(true, ordering: .relaxed) }
            if var tls, Endpoint.usesTLS(url) {
                // libnng sets the URL's host as the expected server name only on
                // the dialer's own configuration, which ours replaces: carry it
                // over, as the C nngcat (which edits that configuration) does.
                if tls.serverName == nil { tls.serverName = Endpoint.host(of: url) }
                let config = try tls.make(forServer: false)
                defer { nng_tls_config_free(config) }
                try check(nng_dialer_set_ptr(dialer, NNG_OPT_TLS_CONFIG, UnsafeMutableRawPointer(config)), "dial", url: url)
            }
            try check(nng_dialer_start(dialer, blocking ? 0 : CNNG_FLAG_NONBLOCK), "dial", url: url)
        } catch {
            nng_dialer_close(dialer)
            throw error
        }
        return Dialer(id: dialer.id, url: url)
    }

    /// Accepts connections on `url`. `tcp://*:PORT` and `tcp://:PORT` mean all
    /// addresses; port 0 picks a free port, which `Listener.port` reports.
    /// The corresponding C functions are `nng_listener_create` and `nng_listener_start`.
    @discardableResult
    public func listen(_ url: String, tls: TLSConfiguration? = nil) throws(NNGError) -> Listener {
        let effective = Endpoint.normalizedListenURL(url)
        var listener = nng_listener()
        do { try check(nng_listener_create(&listener, raw, effective), "listen", url: url) } catch {
            var failure = error
            failure.duringEndpointCreation = true
            throw failure
        }
        do {
            if Endpoint.usesTLS(url) { carriesTLS.store(true, ordering: .relaxed) }
            if let tls, Endpoint.usesTLS(url) {
                let config = try tls.make(forServer: true)
                defer { nng_tls_config_free(config) }
                try check(nng_listener_set_ptr(listener, NNG_OPT_TLS_CONFIG, UnsafeMutableRawPointer(config)), "listen", url: url)
            }
            try check(nng_listener_start(listener, 0), "listen", url: url)
        } catch {
            nng_listener_close(listener)
            throw error
        }
        return Listener(id: listener.id, url: url)
    }

    // MARK: Asynchronous send and receive (control flow)

    /// Sends one message; on failure the message is freed and the error thrown.
    /// Use `trySend` to get the message back instead.
    public func send(_ message: consuming Message, timeout: Timeout = .infinite) async throws(NNGError) {
        let outcome = await trySend(message, timeout: timeout)
        switch consume outcome {
        case .sent: return
        case .failed(let error, _): throw error
        }
    }

    /// Sends one message and hands it back if the send fails, as NNG's
    /// ownership rules allow. The corresponding C function is `nng_send_aio`.
    public func trySend(_ message: consuming Message, timeout: Timeout = .infinite) async -> SendOutcome {
        await AIO.sendOnce(message, on: .socket(self), timeout: timeout)
    }

    /// Receives one message. The corresponding C function is `nng_recv_aio`.
    public func receive(timeout: Timeout = .infinite) async throws(NNGError) -> Message {
        try await AIO.receiveOnce(on: .socket(self), timeout: timeout)
    }

    // MARK: Non-blocking calls, for poll-driven loops

    /// Receives a message if one is waiting, `nil` otherwise.
    /// The corresponding C function is `nng_recvmsg` with `NNG_FLAG_NONBLOCK`.
    public func receiveIfReady() throws(NNGError) -> Message? {
        var pointer: OpaquePointer?
        let result = nng_recvmsg(raw, &pointer, CNNG_FLAG_NONBLOCK)
        if result == CNNG_EAGAIN { return nil }
        try check(result, "receive")
        return Message(adopting: pointer!)
    }

    /// A descriptor that polls readable whenever a message can be received.
    /// The corresponding option is `NNG_OPT_RECVFD`.
    public func receiveDescriptor() throws(NNGError) -> Int32 {
        var fd: Int32 = -1
        try check(nng_socket_get_int(raw, NNG_OPT_RECVFD, &fd), "get receive descriptor")
        return fd
    }

    /// A descriptor that polls readable whenever a message can be sent.
    /// The corresponding option is `NNG_OPT_SENDFD`.
    public func sendDescriptor() throws(NNGError) -> Int32 {
        var fd: Int32 = -1
        try check(nng_socket_get_int(raw, NNG_OPT_SENDFD, &fd), "get send descriptor")
        return fd
    }

    // MARK: Delivery before close

    /// How `waitForFlush` ended.
    public enum FlushResult: Sendable, Equatable {
        /// The socket can take another message: everything accepted so far was written out.
        case flushed
        /// Every peer disconnected before the socket became writable again. The
        /// last message was written unless its connection failed mid-write;
        /// push/pull has no acknowledgement that could tell the two apart.
        case peersGone
        /// The timeout ended first: a message may still be in the socket.
        case timedOut
    }

    /// Waits until the socket could accept another message, which in libnng
    /// 1.5.2 means every message it accepted so far has been written to a
    /// peer's transport. Closing before that silently drops a message still
    /// being written (and `nng_close` can hang on a large one). Protocols that
    /// never block a send (pub) report ready at once: for them this promises nothing.
    public func waitForFlush(timeout: Duration?) -> FlushResult {
        guard socketProtocol.canSend, let fd = try? sendDescriptor() else { return .flushed }
        let deadline = MonotonicDeadline.after(timeout)
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            // Short slices, because a peer that leaves clears the descriptor
            // without any event we could wait on here.
            var slice: Int32 = 20
            if let deadline { slice = min(slice, deadline.remaining.nngMilliseconds) }
            let ready = poll(&entry, 1, slice)
            if ready > 0 {
                if carriesTLS.load(ordering: .relaxed) { Self.letTLSDrain() }
                return .flushed
            }
            if ready < 0 && errno != EINTR { return .timedOut }
            if peers.connectedCount == 0 { return .peersGone }
            if deadline?.hasPassed ?? false { return .timedOut }
        }
    }

    /// libnng's TLS layer (1.5.2 through 1.11) completes a send as soon as the
    /// bytes are in its own 16 KiB buffer, before they reach the TCP socket, and
    /// offers no way to learn when that buffer is empty: a process exiting at
    /// once lost the last message over tls+tcp in 2 of 350 runs on 1.11. The
    /// buffer drains within moments, so a socket with a TLS endpoint gives it
    /// this long after the socket reports ready, whatever the caller's timeout:
    /// callers that poll in short slices (the legacy loop) must not cut it.
    static let tlsDrainTime: Duration = .milliseconds(100)

    private static func letTLSDrain() {
        let (seconds, attoseconds) = tlsDrainTime.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }

    /// `waitForFlush` as a yes/no: false only when the timeout ended first.
    public func waitUntilFlushed(timeout: Duration?) -> Bool {
        waitForFlush(timeout: timeout) != .timedOut
    }
}

/// The result of `Socket.trySend`: either sent, or the error with the message handed back.
public enum SendOutcome: ~Copyable, Sendable {
    case sent
    case failed(NNGError, Message)
}
