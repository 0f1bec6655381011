import Glibc

/// The clock a `Pacer` reads and sleeps on; tests inject their own.
protocol PacingClock {
    /// Monotonic time since an arbitrary origin.
    var now: Duration { get }
    /// Sleeps until `deadline` (a `now` value); returns early on SIGINT/SIGTERM.
    func sleep(until deadline: Duration)
}

/// CLOCK_MONOTONIC. Sleeps poll the signal pipe in whole milliseconds, then
/// sleep the last fraction with `clock_nanosleep` to the absolute deadline:
/// poll alone, rounding up to a millisecond, would make every 5 ms gap up to
/// 1 ms late; Ctrl-C still wakes it within a millisecond.
struct MonotonicClock: PacingClock {
    var now: Duration {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }

    func sleep(until deadline: Duration) {
        _ = Self.wait(on: Signals.interruptDescriptor, until: deadline)
    }

    /// Waits until `descriptor` turns readable (true) or `deadline` passes (false).
    static func wait(on descriptor: Int32, until deadline: Duration) -> Bool {
        let clock = MonotonicClock()
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        while true {
            let left = deadline - clock.now
            guard left > .zero else { return false }
            let (seconds, attoseconds) = left.components
            let millis = seconds >= Int64(Int32.max / 1000) ? Int64(Int32.max) : seconds * 1000 + attoseconds / 1_000_000_000_000_000
            if millis >= 1 {
                if poll(&entry, 1, Int32(millis)) > 0 { return true }
                continue
            }
            if poll(&entry, 1, 0) > 0 { return true }
            let (wholeSeconds, fraction) = deadline.components
            var until = timespec(tv_sec: Int(wholeSeconds), tv_nsec: Int(fraction / 1_000_000_000))
            while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nil) == EINTR {}
            return false
        }
    }
}
