import Glibc
import Synchronization

/// Buffered writes to a file descriptor in large blocks. The owner flushes
/// whenever it is about to wait for more input, so a reader downstream sees
/// every message promptly, while a burst is written a block at a time.
struct OutputWriter {
    let descriptor: Int32
    var buffer = OutputBuffer(reserving: 320 * 1024)
    /// Flush once this many bytes are buffered. At 64 KiB a stream of 64 KiB
    /// records cost one write per record, and ran at 0.8 of the C puller,
    /// which writes 256 KiB at a time.
    let threshold = 256 * 1024

    init(descriptor: Int32 = 1) { self.descriptor = descriptor }

    /// Why a write failed: the reader went away (quiet exit), or a real error.
    enum Failure: Error, Equatable {
        case closedByReader
        case failed(Int32)
    }

    mutating func flushIfFull() throws(Failure) {
        if buffer.count >= threshold { try flush() }
    }

    mutating func flush() throws(Failure) {
        guard buffer.count > 0 else { return }
        defer { buffer.removeAll() }
        try buffer.bytes.withBytes { (bytes) throws(Failure) in try Self.writeAll(bytes, to: descriptor) }
    }

    static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written >= 0 {
                offset += written
                continue
            }
            if errno == EINTR { continue }
            if errno == EPIPE { throw .closedByReader }
            throw .failed(errno)
        }
    }
}
