import CNNG
import Synchronization

/// Answers requests on one context from libnng's completion callbacks:
/// receive, `answer`, send the reply, receive again. No thread of its own and
/// no hand-over per request, which is how a C server on libnng runs; a thread
/// blocked on each context pays two thread wake-ups per round trip.
///
/// `answer` runs on a libnng thread: it must be quick and must not block (no
/// file or terminal I/O). Returning nil leaves that request unanswered.
/// Start several responders, on as many contexts, to answer in parallel.
public final class Responder: @unchecked Sendable {
    public typealias Answer = @Sendable (consuming Message) -> Message?

    private let context: Context
    private let answer: Answer
    // Set once in init. libnng runs one callback of an aio at a time, so
    // `sending` is only touched from inside them, or before `start`.
    private var aio: OpaquePointer?
    private var sending = false
    /// Set first thing in `stop()`: a callback that sees it starts nothing new.
    private let stopped = Atomic<Bool>(false)
    private let answeredCount = Atomic<Int>(0)
    private let firstFailure = Mutex<NNGError?>(nil)

    public init(context: Context, answer: @escaping Answer) throws(NNGError) {
        self.context = context
        self.answer = answer
        var pointer: OpaquePointer?
        // Unretained: `stop()`, which deinit runs too, stops the aio (waiting
        // for a callback in progress) and frees it before this object goes.
        try check(nng_aio_alloc(&pointer, responderDidComplete, Unmanaged.passUnretained(self).toOpaque()), "allocate aio")
        aio = pointer
    }

    deinit { stop() }

    /// Starts waiting for the first request.
    public func start() {
        guard let aio, !stopped.load(ordering: .acquiring) else { return }
        nng_ctx_recv(context.raw, aio)
    }

    /// Requests answered so far.
    public var answered: Int { answeredCount.load(ordering: .relaxed) }

    /// What ended the chain, other than `.closed` or `stop()`: nil while it runs.
    public var failure: NNGError? { firstFailure.withLock { $0 } }

    /// Ends the chain: a pending receive completes with `.canceled`, a reply
    /// in flight is freed. Idempotent; never from inside `answer`.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing), let aio else { return }
        nng_aio_stop(aio)
        if let leftover = nng_aio_get_msg(aio) {
            nng_aio_set_msg(aio, nil)
            nng_msg_free(leftover)
        }
        nng_aio_free(aio)
    }

    fileprivate func stepCompleted() {
        guard let aio, !stopped.load(ordering: .acquiring) else { return }
        let result = nng_aio_result(aio)
        if sending {
            sending = false
            if result == 0 {
                answeredCount.add(1, ordering: .relaxed)
            } else {
                // A failed send leaves the reply with the aio.
                if let unsent = nng_aio_get_msg(aio) {
                    nng_aio_set_msg(aio, nil)
                    nng_msg_free(unsent)
                }
                guard keepGoing(after: result, operation: "send") else { return }
            }
            nng_ctx_recv(context.raw, aio)
            return
        }
        guard result == 0, let request = nng_aio_get_msg(aio) else {
            if keepGoing(after: result, operation: "receive") { nng_ctx_recv(context.raw, aio) }
            return
        }
        nng_aio_set_msg(aio, nil)
        guard let reply = answer(Message(adopting: request)) else {
            nng_ctx_recv(context.raw, aio)
            return
        }
        sending = true
        nng_aio_set_msg(aio, reply.release())
        nng_ctx_send(context.raw, aio)
    }

    /// A closed socket or context ends the chain quietly, a timed-out
    /// operation is retried, anything else ends it and is kept for `failure`.
    private func keepGoing(after result: Int32, operation: String) -> Bool {
        let code = NNGError.Code(rawValue: result)
        switch code {
        case .closed, .canceled:
            return false
        case .timedOut:
            return true
        default:
            firstFailure.withLock { if $0 == nil { $0 = NNGError(code, operation: operation) } }
            return false
        }
    }
}

private func responderDidComplete(_ argument: UnsafeMutableRawPointer?) {
    guard let argument else { return }
    Unmanaged<Responder>.fromOpaque(argument).takeUnretainedValue().stepCompleted()
}
