internal import CNNG
import Synchronization

/// An independent request/reply (or survey) state machine on a socket, so one
/// socket can serve several exchanges at once. The corresponding C type is `nng_ctx`.
public final class Context: Sendable {
    let id: UInt32
    private let closed = Atomic<Bool>(false)
    // Keeps the socket open while the context lives.
    public let socket: Socket

    var raw: nng_ctx { nng_ctx(id: id) }

    /// The corresponding C function is `nng_ctx_open`.
    public init(on socket: Socket) throws(NNGError) {
        var context = nng_ctx()
        try check(nng_ctx_open(&context, socket.raw), "open context")
        id = context.id
        self.socket = socket
    }

    deinit { close() }

    /// The corresponding C function is `nng_ctx_close`. Idempotent.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        nng_ctx_close(raw)
    }

    /// Sends on this context (a reply, for rep). On failure the message is freed.
    /// The corresponding C function is `nng_ctx_send`.
    public func send(_ message: consuming Message, timeout: Timeout = .infinite) async throws(NNGError) {
        let outcome = await AIO.sendOnce(message, on: .context(self), timeout: timeout)
        switch consume outcome {
        case .sent: return
        case .failed(let error, _): throw error
        }
    }

    /// Receives on this context (a request, for rep). The corresponding C function is `nng_ctx_recv`.
    public func receive(timeout: Timeout = .infinite) async throws(NNGError) -> Message {
        try await AIO.receiveOnce(on: .context(self), timeout: timeout)
    }

    /// Sets a duration option on this context only (e.g. survey time).
    /// The corresponding C function is `nng_ctx_set_ms`.
    public func set(_ option: SocketOption) throws(NNGError) {
        switch option {
        case .surveyTime(let d): try check(nng_ctx_set_ms(raw, NNG_OPT_SURVEYOR_SURVEYTIME, d.nngMilliseconds), "set survey time")
        case .requestResendTime(let t): try check(nng_ctx_set_ms(raw, NNG_OPT_REQ_RESENDTIME, t.nngDuration), "set resend time")
        case .sendTimeout(let t): try check(nng_ctx_set_ms(raw, NNG_OPT_SENDTIMEO, t.nngDuration), "set send timeout")
        case .receiveTimeout(let t): try check(nng_ctx_set_ms(raw, NNG_OPT_RECVTIMEO, t.nngDuration), "set receive timeout")
        default: throw NNGError(.notSupported, operation: "set context option")
        }
    }
}
