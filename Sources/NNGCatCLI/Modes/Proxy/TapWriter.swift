import NNGCore
import Glibc
import Synchronization

/// Drains a `MessageTap` on a thread of its own and prints its records on
/// stdout. It may block on a slow stdout as long as it likes: the forwarding
/// callbacks only ever copy into the tap, which drops (and counts) what does
/// not fit while this thread is behind.
final class TapWriter: Sendable {
    private let tap: MessageTap
    private let format: OutputFormat
    private let separator: UInt8
    private let sockets: ProxySockets
    private let written = Atomic<Int>(0)
    private let done = Atomic<Bool>(false)

    init(tap: MessageTap, settings: ProxySettings, sockets: ProxySockets) {
        self.tap = tap
        format = settings.socket.format
        separator = settings.socket.separator
        self.sockets = sockets
    }

    func start() { startThread { [self] in run() } }

    /// Finishes the tap and waits up to `limit` for what it holds to be
    /// printed. Returns how many accepted records were never printed (stdout
    /// stayed blocked, or its reader left).
    func finish(within limit: Duration) -> Int {
        tap.finish()
        let deadline = MonotonicDeadline.after(limit)!
        while !done.load(ordering: .acquiring) && !deadline.hasPassed { usleep(2_000) }
        return tap.accepted - written.load(ordering: .acquiring)
    }

    private func run() {
        defer { done.store(true, ordering: .releasing) }
        var chunk: [UInt8] = []
        var output = OutputWriter()
        var sequence = 0
        var peers: [UInt32: String] = [:]
        let wantsMetadata = format == .json
        while tap.take(into: &chunk) {
            var count = 0
            var failure: OutputWriter.Failure?
            MessageTap.forEachRecord(in: chunk) { tag, pipe, body in
                guard failure == nil else { return }
                sequence += 1
                count += 1
                let side = ProxySide(rawValue: tag) ?? pipe.map { sockets.side(of: $0) } ?? .in
                var metadata: MessageMetadata?
                if wantsMetadata {
                    metadata = MessageMetadata(sequence: sequence, peer: pipe.flatMap { address(of: $0, cache: &peers) })
                }
                TapRecordEncoder.encode(body, from: side, as: format, into: &output.buffer, separator: separator, metadata: metadata)
                do throws(OutputWriter.Failure) { try output.flushIfFull() } catch { failure = error }
            }
            if failure == nil {
                do throws(OutputWriter.Failure) { try output.flush() } catch { failure = error }
            }
            if let failure {
                if case .failed(let code) = failure {
                    Diagnostics.error("tap: cannot write to stdout: \(String(cString: strerror(code))); forwarding goes on")
                }
                // The reader left: forwarding goes on, the tap only counts from now on.
                tap.finish()
                return
            }
            written.add(count, ordering: .releasing)
        }
    }

    /// The peer's address, looked up once per connection.
    private func address(of pipe: Pipe, cache: inout [UInt32: String]) -> String? {
        if let known = cache[pipe.id] { return known }
        guard let address = pipe.remoteAddress else { return nil }
        if cache.count > 4096 { cache.removeAll() }
        cache[pipe.id] = address
        return address
    }
}
