import Glibc
import NNGCore
import Synchronization

/// SIGINT and SIGTERM are received by one watcher thread with `sigwait`, so
/// the reaction (close the socket, let the main loop flush and exit 130/143)
/// runs as ordinary code instead of inside a signal handler.
enum Signals {
    private static let received = Atomic<Int32>(0)
    private static let handler = Mutex<(@Sendable (Int32) -> Void)?>(nil)
    /// A pipe that turns readable once a signal has arrived: the main thread
    /// polls it beside whatever it waits on (stdin, a sleep), since SIGINT is
    /// blocked in every thread and so can no longer interrupt a system call.
    private static let wakePipe: (read: Int32, write: Int32) = {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return (-1, -1) }
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, O_NONBLOCK)
        }
        return (ends[0], ends[1])
    }()

    /// Readable once SIGINT or SIGTERM has arrived (-1 if no pipe could be made).
    static var interruptDescriptor: Int32 { wakePipe.read }

    /// Call first thing, before any thread exists, so every thread inherits the mask.
    static func install() {
        signal(SIGPIPE, SIG_IGN)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let wakeWriter = wakePipe.write
        startThread {
            var waitSet = sigset_t()
            sigemptyset(&waitSet)
            sigaddset(&waitSet, SIGINT)
            sigaddset(&waitSet, SIGTERM)
            while true {
                var caught: Int32 = 0
                guard sigwait(&waitSet, &caught) == 0 else { continue }
                let number = caught
                if received.exchange(number, ordering: .acquiringAndReleasing) != 0 {
                    _exit(128 + number)  // a second signal: stop at once
                }
                var byte: UInt8 = 1
                _ = write(wakeWriter, &byte, 1)
                if let action = handler.withLock({ $0 }) {
                    // The main loop should now finish; if it is stuck in a system call, end
                    // anyway. Armed before the action: libnng 1.5.2's nng_close can block
                    // for good when the socket is closed mid-stream. The main loop flushes
                    // its output before every wait, so what was received is written.
                    startThread {
                        usleep(2_000_000)
                        _exit(128 + number)
                    }
                    action(number)
                } else {
                    _exit(128 + number)
                }
            }
        }
    }

    /// What to do on SIGINT/SIGTERM, typically closing the socket.
    static func onInterrupt(_ action: @escaping @Sendable (Int32) -> Void) {
        handler.withLock { $0 = action }
    }

    /// Sleeps for `duration`, or less when a signal arrives first.
    static func sleep(for duration: Duration) {
        let deadline = MonotonicDeadline.after(duration)
        var entry = pollfd(fd: interruptDescriptor, events: Int16(POLLIN), revents: 0)
        while receivedSignal == nil, let deadline, !deadline.hasPassed {
            _ = poll(&entry, 1, pollMilliseconds(deadline.remaining))
        }
    }

    /// The signal received so far, if any.
    static var receivedSignal: Int32? {
        let number = received.load(ordering: .acquiring)
        return number == 0 ? nil : number
    }

    /// 130 or 143 when interrupted, otherwise `status`.
    static func status(otherwise status: ExitStatus) -> ExitStatus {
        switch receivedSignal {
        case SIGINT: .interrupted
        case SIGTERM: .terminated
        default: status
        }
    }
}

/// `duration` as poll(2)'s timeout, rounded up so that a wait never ends
/// just short of its deadline and spins.
func pollMilliseconds(_ duration: Duration) -> Int32 {
    let (seconds, attoseconds) = duration.components
    let millis = seconds.multipliedReportingOverflow(by: 1000)
    guard !millis.overflow else { return Int32.max }
    let rounded = millis.partialValue + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
    return Int32(clamping: rounded)
}
