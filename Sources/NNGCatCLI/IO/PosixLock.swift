import Glibc

/// A pthread mutex, for a lock that threads contend for all the time (the
/// `--jobs` workers taking messages in turn). `Synchronization.Mutex` is the
/// default elsewhere, but on Linux it hands a contended lock over through
/// priority-inheritance futexes inside the kernel, which ThreadSanitizer
/// cannot see: it then reports the state the lock guards as raced
/// (scripts/sanitized-e2e). TSan intercepts pthread mutexes.
final class PosixLock: @unchecked Sendable {
    // The mutex lives on the heap so its address never moves; it guards
    // nothing of its own, only what callers touch inside `withLock`.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<Result: ~Copyable, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
