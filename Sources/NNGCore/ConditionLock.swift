import Glibc

/// A mutex paired with a condition variable, for the places where a plain
/// thread sleeps until an NNG callback wakes it. `Synchronization.Mutex` has no
/// condition variable, and the callbacks must never block, so this is the one
/// primitive that both sides share. The command line uses it too, as a plain
/// pthread mutex where threads contend all the time (`--jobs` workers):
/// `Synchronization.Mutex` hands a contended lock over inside the kernel,
/// where ThreadSanitizer cannot follow, and reports what it guards as raced.
package final class ConditionLock: @unchecked Sendable {
    // The pthread objects live on the heap so their addresses never move;
    // every access to state guarded by this lock happens between lock/unlock.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    package init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    package func lock() { pthread_mutex_lock(mutex) }
    package func unlock() { pthread_mutex_unlock(mutex) }

    package func withLock<R: ~Copyable, E: Error>(_ body: () throws(E) -> R) throws(E) -> R {
        lock()
        defer { unlock() }
        return try body()
    }

    /// Waits for a signal; the lock must be held. Returns false once `deadline` passed.
    @discardableResult
    package func wait(until deadline: MonotonicDeadline?) -> Bool {
        guard let deadline else {
            pthread_cond_wait(condition, mutex)
            return true
        }
        var time = deadline.timespec
        return pthread_cond_timedwait(condition, mutex, &time) != ETIMEDOUT
    }

    package func signal() { pthread_cond_signal(condition) }
    package func broadcast() { pthread_cond_broadcast(condition) }
}

/// A point on the monotonic clock, the one `ConditionLock` waits against.
public struct MonotonicDeadline: Sendable, Comparable {
    let nanoseconds: Int64

    public static var now: MonotonicDeadline {
        var time = Glibc.timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return MonotonicDeadline(nanoseconds: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }

    /// `nil` when `duration` is `nil`: no deadline at all.
    public static func after(_ duration: Duration?) -> MonotonicDeadline? {
        guard let duration else { return nil }
        let (seconds, attoseconds) = duration.components
        let (total, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let delta = overflow ? Int64.max / 4 : total + attoseconds / 1_000_000_000
        return MonotonicDeadline(nanoseconds: now.nanoseconds + max(0, min(delta, Int64.max / 4)))
    }

    /// Time left until the deadline, zero once it has passed.
    public var remaining: Duration {
        .nanoseconds(max(0, nanoseconds - MonotonicDeadline.now.nanoseconds))
    }

    public var hasPassed: Bool { MonotonicDeadline.now >= self }

    var timespec: Glibc.timespec {
        Glibc.timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
}
