internal import CNNG
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
    // Set once in init and taken out by `stop()` only once no callback can
    // run. libnng runs one callback of an aio at a time, so `sending` is only
    // touched from inside them, or before `start`.
    private var aio: AIOHandle?
    private var sending = false
    /// Set first thing in `stop()`: a callback that sees it starts nothing new.
    private let stopped = Atomic<Bool>(false)
    private let answeredCount = Atomic<Int>(0)
    private let firstFailure = Mutex<NNGError?>(nil)

    public init(context: Context, answer: @escaping Answer) throws(NNGError) {
        self.context = context
        self.answer = answer
        // Unretained: `stop()`, which deinit runs too, stops the aio (waiting
        // for a callback in progress) and frees it before this object goes.
        aio = try AIOHandle(calling: responderDidComplete, with: Unmanaged.passUnretained(self).toOpaque())
    }

    deinit { stop() }

    /// Starts waiting for the first request.
    public func start() {
        guard !stopped.load(ordering: .acquiring), let raw = aio?.raw else { return }
        nng_ctx_recv(context.raw, raw)
    }

    /// Requests answered so far.
    public var answered: Int { answeredCount.load(ordering: .relaxed) }

    /// What ended the chain, other than `.closed` or `stop()`: nil while it runs.
    public var failure: NNGError? { firstFailure.withLock { $0 } }

    /// Ends the chain: a pending receive completes with `.canceled`, a reply
    /// in flight is freed. Idempotent; never from inside `answer`.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // Once stopped, a callback returns before touching `aio`: after
        // this one waits for a callback in progress, none reads it again.
        aio?.stop()
        aio.take()?.free()
    }

    fileprivate func stepCompleted() {
        guard !stopped.load(ordering: .acquiring), let raw = aio?.raw else { return }
        if sending {
            sending = false
            guard let result = aio?.sendResult() else { return }
            if result == 0 {
                answeredCount.add(1, ordering: .relaxed)
            } else {
                // A failed send leaves the reply with the aio.
                aio?.discardMessage()
                guard keepGoing(after: result, operation: "send") else { return }
            }
            nng_ctx_recv(context.raw, raw)
            return
        }
        let result = nng_aio_result(raw)
        guard result == 0, let request = aio?.takeMessage() else {
            if keepGoing(after: result, operation: "receive") { nng_ctx_recv(context.raw, raw) }
            return
        }
        guard let reply = answer(Message(adopting: request)) else {
            nng_ctx_recv(context.raw, raw)
            return
        }
        sending = true
        nng_aio_set_msg(raw, reply.release())
        nng_ctx_send(context.raw, raw)
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
