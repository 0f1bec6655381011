import Glibc
import Synchronization

/// Buffered writes to a file descriptor in large blocks. The owner flushes
/// whenever it is about to wait for more input, so a reader downstream sees
/// every message promptly, while a burst is written a block at a time.
public struct OutputWriter {
    public let descriptor: Int32
    public var buffer = OutputBuffer(reserving: 320 * 1024)
    /// Flush once this many bytes are buffered. At 64 KiB a stream of 64 KiB
    /// records cost one write per record, and ran at 0.8 of the C puller,
    /// which writes 256 KiB at a time.
    public let threshold = 256 * 1024

    public init(descriptor: Int32 = 1) { self.descriptor = descriptor }

    /// Why a write failed: the reader went away (quiet exit), or a real error.
    public enum Failure: Error, Equatable {
        case closedByReader
        case failed(Int32)
    }

    public mutating func flushIfFull() throws(Failure) {
        if buffer.count >= threshold { try flush() }
    }

    public mutating func flush() throws(Failure) {
        guard buffer.count > 0 else { return }
        defer { buffer.removeAll() }
        let outcome = buffer.bytes.withUnsafeBytes { bytes in Result { () throws(Failure) in try Self.writeAll(bytes, to: descriptor) } }
        try outcome.get()
    }

    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws(Failure) {
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

/// Diagnostics on stderr: errors, warnings and `-v` notes, one line each.
public enum Diagnostics {
    public static func error(_ message: String) { line("nngcat: " + message) }
    public static func warning(_ message: String) { line("nngcat: warning: " + message) }
    public static func note(_ message: String) { line("nngcat: " + message) }

    public static func line(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.append(0x0a)
        bytes.withUnsafeBytes { _ = try? OutputWriter.writeAll($0, to: 2) }
    }

    /// Text printed as is, on stdout (help, version).
    public static func print(_ text: String) {
        Array(text.utf8).withUnsafeBytes { _ = try? OutputWriter.writeAll($0, to: 1) }
    }
}

/// Notices that stdout's reader went away while we are idle, e.g. after
/// `| head -1` has what it wanted and no further write would tell us.
public enum StdoutWatcher {
    private static let gone = Atomic<Bool>(false)

    /// Whether the watcher saw the reader leave.
    public static var readerGone: Bool { gone.load(ordering: .acquiring) }

    /// Watches on a thread of its own and calls `closed` once the reader has
    /// gone (a pipe whose reader exited, a hung-up terminal or socket). A
    /// regular file never reports this, so watching it costs nothing.
    public static func watch(_ closed: @escaping @Sendable () -> Void) {
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
