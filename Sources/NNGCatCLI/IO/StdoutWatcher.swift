import Glibc
import Synchronization

/// Notices that stdout's reader went away while we are idle, e.g. after
/// `| head -1` has what it wanted and no further write would tell us.
enum StdoutWatcher {
    private static let gone = Atomic<Bool>(false)

    /// Whether the watcher saw the reader leave.
    static var readerGone: Bool { gone.load(ordering: .acquiring) }

    /// Watches on a thread of its own and calls `closed` once the reader has
    /// gone (a pipe whose reader exited, a hung-up terminal or socket). A
    /// regular file never reports this, so watching it costs nothing.
    static func watch(_ closed: @escaping @Sendable () -> Void) {
        startThread {
            var entry = pollfd(fd: 1, events: 0, revents: 0)
            while true {
                let ready = poll(&entry, 1, -1)
                if ready < 0 && errno == EINTR { continue }
                if ready <= 0 { return }
                if entry.revents & Int16(POLLNVAL) != 0 { return }
                if entry.revents & Int16(POLLERR | POLLHUP) != 0 {
                    gone.store(true, ordering: .releasing)
                    closed()
                    return
                }
            }
        }
    }
}
