// Shared helpers for the libFuzzer targets in fuzz/Targets. Compiled into the
// same module as Sources/NNGCatCLI, so the targets reach internal symbols
// without @testable. See fuzz/build.

import Glibc

/// The fuzzer's input as a buffer (libFuzzer may pass a null pointer for size 0).
@inline(__always)
func fuzzInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeRawBufferPointer {
    guard let data, size > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
    return UnsafeRawBufferPointer(start: data, count: size)
}

/// Splits the input into command-line words at NUL bytes (argv cannot hold a
/// NUL), decoding each as the runtime decodes argv: invalid UTF-8 repaired.
func fuzzWords(_ bytes: UnsafeRawBufferPointer) -> [String] {
    bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
}

/// A property violation: says what went wrong on stderr, then crashes, so
/// libFuzzer saves the input.
func fuzzFail(_ what: String, input: [UInt8], detail: [UInt8] = []) -> Never {
    func hex(_ bytes: [UInt8]) -> String { bytes.prefix(256).map { String($0, radix: 16) }.joined(separator: " ") }
    fputs("fuzz property violated: \(what)\n  input:  \(hex(input))\n  detail: \(hex(detail))\n", stderr)
    fatalError(what)
}

/// Runs `body` on a thread with a 128 KiB stack and waits for it: a decoder
/// that recurses once per nesting level overflows there (ASan reports a
/// stack-overflow) on inputs that fit in -max_len, where the main thread's
/// 8 MiB stack would need megabytes. One long-lived thread, handed work
/// through two semaphores, since creating a thread per input costs 10x.
func onSmallStack(_ body: @escaping () -> Void) {
    SmallStackWorker.shared.run(body)
}

final class SmallStackWorker: @unchecked Sendable {
    static let shared = SmallStackWorker(stackSize: 128 << 10)

    private let start = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
    private let done = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
    private var work: (() -> Void)?

    private init(stackSize: Int) {
        sem_init(start, 0, 0)
        sem_init(done, 0, 0)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, stackSize)
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { argument in
            let worker = Unmanaged<SmallStackWorker>.fromOpaque(argument!).takeUnretainedValue()
            while true {
                while sem_wait(worker.start) != 0 {}
                worker.work?()
                worker.work = nil
                sem_post(worker.done)
            }
        }, Unmanaged.passRetained(self).toOpaque())
        precondition(result == 0, "pthread_create: \(result)")
    }

    func run(_ body: @escaping () -> Void) {
        work = body
        sem_post(start)
        while sem_wait(done) != 0 {}
    }
}
