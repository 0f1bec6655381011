import Glibc
import NNGCore
import Synchronization
import Testing

// Shared helpers: unique addresses per test (so suites run in parallel),
// connected socket pairs, body patterns and bounded waiting on a real thread.

/// The transports every protocol test runs over.
enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case inproc, ipc, tcp
    var testDescription: String { rawValue }
}

/// A distinct number per call in this process.
private let addressCounter = Atomic<Int>(0)

/// A folder under /tmp made once per test process and removed at exit; ipc
/// sockets live in it.
let temporaryFolder: String = {
    var template = Array("/tmp/nngcore-tests-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    precondition(made != nil, "mkdtemp failed")
    let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    atexit { removeTemporaryFolder() }
    return path
}()

private func removeTemporaryFolder() {
    let path = temporaryFolder
    if let directory = opendir(path) {
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { unlink(path + "/" + name) }
        }
        closedir(directory)
    }
    rmdir(path)
}

/// A name no other test in this process (or another process) uses.
func uniqueName(_ label: String) -> String {
    let number = addressCounter.add(1, ordering: .relaxed).newValue
    return "\(label)-\(getpid())-\(number)"
}

/// A listen address for `transport`; for tcp it asks for an ephemeral port.
func listenAddress(_ transport: Transport, _ label: String = "t") -> String {
    switch transport {
    case .inproc: "inproc://nngcore-\(uniqueName(label))"
    case .ipc: "ipc://\(temporaryFolder)/\(uniqueName(label)).sock"
    case .tcp: "tcp://127.0.0.1:0"
    }
}

/// The address to dial to reach `listener`.
func dialAddress(for listener: Listener) -> String {
    if let port = listener.port, listener.url.hasPrefix("tcp://") {
        return "tcp://127.0.0.1:\(port)"
    }
    return listener.url
}

/// Two connected sockets: `listening` listens, `dialing` dials, and both have
/// seen their peer arrive before this returns.
final class ConnectedPair {
    let listening: Socket
    let dialing: Socket
    let listener: Listener

    init(_ listenProtocol: SocketProtocol, _ dialProtocol: SocketProtocol, over transport: Transport,
         configure: (Socket, Socket) throws -> Void = { _, _ in }) throws {
        listening = try Socket(listenProtocol)
        dialing = try Socket(dialProtocol)
        try configure(listening, dialing)
        listener = try listening.listen(listenAddress(transport, listenProtocol.rawValue))
        try dialing.dial(dialAddress(for: listener))
        try #require(listening.peers.waitForPeers(1, timeout: .seconds(5)), "listening side saw no peer")
        try #require(dialing.peers.waitForPeers(1, timeout: .seconds(5)), "dialing side saw no peer")
    }

    deinit {
        dialing.close()
        listening.close()
    }
}

/// Why `message` does not hold exactly `expected`, or nil when it does.
/// Tests compare through this so a failure never prints a megabyte of bytes.
func mismatch(_ message: borrowing Message, _ expected: [UInt8]) -> String? {
    message.withUnsafeBytes { body -> String? in
        let same = expected.withUnsafeBytes { wanted in
            body.count == wanted.count && (body.count == 0 || memcmp(body.baseAddress!, wanted.baseAddress!, body.count) == 0)
        }
        if same { return nil }
        if let index = (0..<min(body.count, expected.count)).first(where: { body[$0] != expected[$0] }) {
            return "byte \(index) is \(body[index]), expected \(expected[index]) (\(body.count) bytes, expected \(expected.count))"
        }
        return "\(body.count) bytes, expected \(expected.count)"
    }
}

/// A deterministic body of `count` bytes that differs per `seed`.
func pattern(_ count: Int, seed: Int = 0) -> [UInt8] {
    // With capacity 0 the initializer writes the count into the stdlib's
    // shared empty-array storage, which TSan reports when tests run in parallel.
    guard count > 0 else { return [] }
    return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        var state = UInt32(truncatingIfNeeded: seed &* 2_654_435_761 &+ 12_345)
        for index in 0..<count {
            state = state &* 1_664_525 &+ 1_013_904_223
            buffer[index] = UInt8(truncatingIfNeeded: state >> 24)
        }
        initialized = count
    }
}

let oneMiB = 1 << 20

/// A per-operation timeout generous enough for a loaded 2-core machine, yet
/// short enough that a broken test fails instead of hanging.
let patience: Timeout = .after(.seconds(10))

/// Seconds elapsed since `start`.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let (whole, atto) = (ContinuousClock.now - start).components
    return Double(whole) + Double(atto) / 1e18
}

/// Runs `body` on a fresh POSIX thread, so blocking calls (MessageReceiver.next,
/// MessageSender.send, PeerTracker.waitForPeers) never occupy the cooperative pool.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let job = ThreadJob {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        var thread = pthread_t()
        let context = Unmanaged.passRetained(job).toOpaque()
        let created = pthread_create(&thread, nil, runThreadJob, context)
        if created != 0 {
            Unmanaged<ThreadJob>.fromOpaque(context).release()
            continuation.resume(throwing: NNGError(.outOfMemory, operation: "pthread_create"))
            return
        }
        pthread_detach(thread)
    }
}

private final class ThreadJob: Sendable {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

private func runThreadJob(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    Unmanaged<ThreadJob>.fromOpaque(context!).takeRetainedValue().body()
    return nil
}

/// A value behind a pthread mutex, for state that tests share with NNG's
/// threads. Not `Synchronization.Mutex`: ThreadSanitizer on Linux does not see
/// its lock, and reports every access it guards as a race.
final class Locked<Value>: @unchecked Sendable {
    // `mutex` guards `value`; the mutex lives on the heap so it never moves.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var value: Value

    init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
