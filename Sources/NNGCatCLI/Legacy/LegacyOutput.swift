import NNGCore
import Glibc
import Synchronization

/// Prints received messages as the C nngcat does: each one encoded in the
/// chosen format and written at once (the C tool flushes after every message),
/// with no separator for `--raw` and `--ascii`, and nothing at all by default.
///
/// Unlike the C tool, a failed write is an error, and a reader that went away
/// ends the run quietly with status 0, even while no message is arriving.
struct LegacyOutput {
    let format: OutputFormat
    private var buffer = OutputBuffer(reserving: 4096)

    init(format: OutputFormat?) { self.format = format ?? .no }

    /// Whether anything is ever written (the default format prints nothing).
    var prints: Bool { format != .no }

    mutating func print(_ message: borrowing Message) throws(LegacyExit) {
        guard prints else { return }
        buffer.removeAll()
        let format = self.format
        message.withUnsafeBytes { body in
            MessageEncoder.encode(body, as: format, into: &buffer, legacy: true)
        }
        do throws(OutputWriter.Failure) {
            try buffer.bytes.withBytes { (bytes) throws(OutputWriter.Failure) in try OutputWriter.writeAll(bytes, to: 1) }
        } catch {
            switch error {
            case .closedByReader: throw .quiet(.success)
            case .failed(let code): throw .failure("Write to stdout failed: \(String(cString: strerror(code)))")
            }
        }
    }

    static func watchForClosedReader(_ closed: @escaping @Sendable () -> Void) {
        StdoutWatcher.watch(closed)
    }
}
