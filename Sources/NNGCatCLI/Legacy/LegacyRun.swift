import NNGCore
import Glibc
import Synchronization

/// What every legacy loop shares: the socket, a cancellable timer for the
/// `--delay`/`--interval` waits, and the ways a run is stopped from outside
/// (SIGINT/SIGTERM, or stdout's reader going away). Stopping closes the
/// socket, so a pending receive or send ends at once with `.closed`.
final class LegacyRun: Sendable {
    let socket: Socket
    private let timer: AIO
    private let stopped = Atomic<Bool>(false)
    private let readerGone = Atomic<Bool>(false)

    init(socket: Socket) throws(LegacyExit) {
        self.socket = socket
        do { timer = try AIO() } catch { throw .failure("Out of memory.") }
    }

    /// Ends the run from another thread: closes the socket and wakes the timer.
    func stop() {
        stopped.store(true, ordering: .releasing)
        socket.close()
        timer.cancel()
    }

    /// stdout's reader went away: stop, and end quietly with status 0.
    func stdoutClosed() {
        readerGone.store(true, ordering: .releasing)
        stop()
    }

    var isStopped: Bool { stopped.load(ordering: .acquiring) }
    var stdoutWasClosed: Bool { readerGone.load(ordering: .acquiring) }

    /// Sleeps `milliseconds` (the C tool's `nng_msleep`), or less if stopped.
    /// The corresponding C function is `nng_sleep_aio`.
    func sleep(milliseconds: Int) {
        guard milliseconds > 0, !isStopped else { return }
        timer.startSleep(.milliseconds(milliseconds))
        // A cancel issued before the sleep was submitted is lost: look again.
        if isStopped { timer.cancel() }
        timer.wait()
    }

    /// Waits until what was sent has left the process, instead of the C tool's
    /// fixed 200 ms sleep: until the socket could take another message (which
    /// in libnng 1.5.2 means the last one was written to a peer's transport),
    /// or no peer is left to deliver to, or the run is stopped.
    func waitForDelivery() {
        while !isStopped {
            if socket.waitUntilFlushed(timeout: .milliseconds(20)) { return }
            if socket.peers.connectedCount == 0 { return }
        }
    }

    func close() {
        timer.close()
    }

    /// Milliseconds on the monotonic clock, for the C tool's interval arithmetic.
    static func now() -> Int {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return time.tv_sec * 1000 + time.tv_nsec / 1_000_000
    }
}
