import NNGCore
import Glibc
import Synchronization

/// How a mode lets go of its socket once the work is done and the output
/// written, just before the process exits.
///
/// A socket with a listener is closed, so that libnng stops accepting and
/// removes its ipc socket file. A socket that only dials is left open for the
/// process exit to close: nothing is left for it to do (what was sent has
/// already left, see `Socket.waitForFlush`), and `nng_close` would only add a
/// round trip through libnng's reaper thread, about 1 ms: a quarter of a
/// one-shot `send --req`. The kernel closes the descriptors either way.
enum SocketRelease {
    private static let leftForExit = Mutex<[Socket]>([])

    static func finish(_ socket: Socket, listens: Bool, status: ExitStatus) {
        if listens {
            BoundedClose.close(socket, status: status)
        } else {
            leftForExit.withLock { $0.append(socket) }
        }
    }
}

/// libnng 1.5.2's `nng_close` can block for good while a peer is still
/// streaming into the socket (seen with `listen --count N` against a busy
/// sender): if it has not returned within `limit`, exit with `status`, as
/// nothing is left to do. Not keyed to a version: where close returns at once
/// (not seen to hang on 1.11.0) the bound costs one sleeping thread.
enum BoundedClose {
    private final class Flag: Sendable { let done = Atomic<Bool>(false) }

    static func close(_ socket: Socket, status: ExitStatus, limit: Duration = .seconds(2)) {
        let flag = Flag()
        let slices = max(1, Int(limit.components.seconds * 100))
        startThread {
            for _ in 0..<slices {
                usleep(10_000)
                if flag.done.load(ordering: .acquiring) { return }
            }
            _exit(Signals.status(otherwise: status).rawValue)
        }
        socket.close()
        flag.done.store(true, ordering: .releasing)
    }
}
