import Glibc

/// `--duration`: the moment sending stops, and a descriptor that turns
/// readable then, so a read of stdin that is still waiting gives up too.
final class DurationLimit: Sendable {
    let end: Duration
    /// A pipe's read end, written by a timer thread at `end` (-1 if no pipe
    /// could be made: then only the checks between messages stop the run).
    let descriptor: Int32

    init(_ duration: Duration, clock: some PacingClock) {
        end = clock.now + duration
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            descriptor = -1
            return
        }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        descriptor = ends[0]
        // The pipe is never closed: the thread may still be asleep when the run
        // ends, and writing into a descriptor number reused by then would be
        // worse than two descriptors held until exit.
        let (writeEnd, wakeAt) = (ends[1], MonotonicClock().now + duration)
        startThread {
            let (seconds, attoseconds) = wakeAt.components
            var until = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
            while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nil) == EINTR {}
            var byte: UInt8 = 1
            _ = write(writeEnd, &byte, 1)
        }
    }

    func hasPassed(now: Duration) -> Bool { now >= end }
}
