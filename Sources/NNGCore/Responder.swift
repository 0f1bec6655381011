internal import CNNG
import Synchronization

/// Answers requests on one context from libnng's completion callbacks:
/// receive, `answer`, send the reply, receive again. No thread of its own and
/// no hand-over per request, which is how a C server on libnng runs; a thread
/// blocked on each context pays two thread wake-ups per round trip.
///
/// `answer` and the hooks run on a libnng thread: they must be quick and must
/// not block (no file or terminal I/O). Returning nil leaves that request
/// unanswered. Start several responders, on as many contexts, to answer in parallel.
public final class Responder: @unchecked Sendable {
    public typealias Answer = @Sendable (consuming Message) -> Message?

    /// What the owner hears from the chain, on libnng's threads: each must
    /// return at once, without blocking or doing I/O.
    public struct Hooks: Sendable {
        /// Asked before every receive, the first one included. False leaves
        /// the responder idle, with nothing pending, until `resume()`: how an
        /// owner stops taking requests when it has taken its share (`--count`)
        /// or cannot keep up with them (output that is not written yet).
        public var mayReceive: @Sendable () -> Bool
        /// Each reply's send, once complete: nil when the reply was sent, else
        /// why not. A reply that could not be sent is dropped and the chain
        /// goes on, unless the socket was closed.
        public var replied: @Sendable (NNGError?) -> Void
        /// The chain ended by itself: the socket or context was closed, a
        /// receive timed out (`receiveTimeout`) or failed. Not after `stop()`.
        public var ended: @Sendable (NNGError) -> Void

        public init(mayReceive: @escaping @Sendable () -> Bool = { true },
                    replied: @escaping @Sendable (NNGError?) -> Void = { _ in },
                    ended: @escaping @Sendable (NNGError) -> Void = { _ in }) {
            self.mayReceive = mayReceive
            self.replied = replied
            self.ended = ended
        }
    }

    private let context: Context
    private let answer: Answer
    private let hooks: Hooks
    private let receiveTimeout: Int32
    private let sendTimeout: Int32
    // Set once in init and taken out by `stop()` only once no callback can
    // run. An operation starts only once the one before it completed (or
    // from `resume()` while none is pending), so `sending` is touched by one
    // operation's completion at a time, ordered by libnng's start.
    private var aio: AIOHandle?
    private var sending = false
    /// Set first thing in `stop()`: a callback that sees it starts nothing new.
    private let stopped = Atomic<Bool>(false)
    private let answeredCount = Atomic<Int>(0)
    private let firstFailure = Mutex<NNGError?>(nil)

    /// - Parameters:
    ///   - receiveTimeout: a receive that waits this long ends the chain
    ///     with `.timedOut` (told through `hooks.ended` and `failure`).
    ///   - sendTimeout: how long each reply may wait to be sent.
    public init(context: Context, receiveTimeout: Timeout = .infinite, sendTimeout: Timeout = .infinite,
                hooks: Hooks = Hooks(), answer: @escaping Answer) throws(NNGError) {
        self.context = context
        self.answer = answer
        self.hooks = hooks
        self.receiveTimeout = receiveTimeout.nngDuration
        self.sendTimeout = sendTimeout.nngDuration
        // Unretained: `stop()`, which deinit runs too, stops the aio (waiting
        // for a callback in progress) and frees it before this object goes.
        aio = try AIOHandle(calling: responderDidComplete, with: Unmanaged.passUnretained(self).toOpaque())
    }

    deinit { stop() }

    /// Starts waiting for the first request (if `hooks.mayReceive` agrees).
    public func start() {
        guard !stopped.load(ordering: .acquiring), let raw = aio?.raw else { return }
        receiveNext(raw)
    }

    /// Receives again after `hooks.mayReceive` said no. Only while idle so,
    /// and from the thread that calls `stop()`, never at the same time.
    public func resume() { start() }

    /// Requests answered so far.
    public var answered: Int { answeredCount.load(ordering: .relaxed) }

    /// What ended the chain, other than `.closed` or `stop()`: nil while it runs.
    public var failure: NNGError? { firstFailure.withLock { $0 } }

    /// Ends the chain: a pending receive completes with `.canceled`, a reply
    /// in flight is freed. Idempotent; never from inside `answer` or a hook.
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        // Once stopped, a callback returns before touching `aio`: after
        // this one waits for a callback in progress, none reads it again.
        aio?.stop()
        aio.take()?.free()
    }

    private func receiveNext(_ raw: OpaquePointer) {
        // Nothing after a refusal touches this object's state: the owner may
        // resume it from another thread as soon as `mayReceive` returned.
        guard hooks.mayReceive() else { return }
        nng_aio_set_timeout(raw, receiveTimeout)
        nng_ctx_recv(context.raw, raw)
    }

    fileprivate func stepCompleted() {
        guard !stopped.load(ordering: .acquiring), let raw = aio?.raw else { return }
        if sending {
            sending = false
            guard let result = aio?.sendResult() else { return }
            if result == 0 {
                answeredCount.add(1, ordering: .relaxed)
                hooks.replied(nil)
            } else {
                // A failed send leaves the reply with the aio.
                aio?.discardMessage()
                let code = NNGError.Code(rawValue: result)
                if code == .closed || code == .canceled {
                    hooks.ended(NNGError(code, operation: "send"))
                    return
                }
                hooks.replied(NNGError(code, operation: "send"))
            }
            receiveNext(raw)
            return
        }
        let result = nng_aio_result(raw)
        guard result == 0, let request = aio?.takeMessage() else {
            if result == 0 {
                receiveNext(raw)
            } else {
                end(NNGError(NNGError.Code(rawValue: result), operation: "receive"))
            }
            return
        }
        guard let reply = answer(Message(adopting: request)) else {
            receiveNext(raw)
            return
        }
        sending = true
        nng_aio_set_msg(raw, reply.release())
        nng_aio_set_timeout(raw, sendTimeout)
        nng_ctx_send(context.raw, raw)
    }

    /// A closed socket or context ends the chain quietly; anything else is
    /// kept for `failure`. The owner hears of both.
    private func end(_ error: NNGError) {
        if error.code != .closed && error.code != .canceled {
            firstFailure.withLock { if $0 == nil { $0 = error } }
        }
        hooks.ended(error)
    }
}

private func responderDidComplete(_ argument: UnsafeMutableRawPointer?) {
    guard let argument else { return }
    Unmanaged<Responder>.fromOpaque(argument).takeUnretainedValue().stepCompleted()
}
