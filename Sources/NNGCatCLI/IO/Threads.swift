import Glibc

/// Starts a detached POSIX thread running `body`: used for the stdin reader,
/// the signal watcher and `--jobs` workers, which block in system calls and
/// so must not sit on Swift's cooperative thread pool.
func startThread(_ body: @escaping @Sendable () -> Void) {
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var thread = pthread_t()
    let result = pthread_create(&thread, nil, threadEntry, box)
    precondition(result == 0, "pthread_create failed: \(result)")
    pthread_detach(thread)
}

/// A joinable thread, for workers whose end the caller waits for.
final class JoinableThread {
    private var thread = pthread_t()

    init(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        let result = pthread_create(&thread, nil, threadEntry, box)
        precondition(result == 0, "pthread_create failed: \(result)")
    }

    func join() { pthread_join(thread, nil) }
}

private final class ThreadBody {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

private func threadEntry(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let box = Unmanaged<ThreadBody>.fromOpaque(argument!).takeRetainedValue()
    box.body()
    return nil
}
