import Glibc
import NNGCore
import Testing

/// EncodingReceiver: messages encoded in the receive callback into two
/// chunks, handed to a writer thread, with the chain paused while both are taken.
@Suite("Encoding receiver", .timeLimit(.minutes(1)))
struct EncodingReceiverTests {
    /// An 8-byte message carrying `sequence`.
    private static func numbered(_ sequence: Int) throws(NNGError) -> Message {
        try Message(count: 8) { $0.storeBytes(of: UInt64(sequence).littleEndian, as: UInt64.self) }
    }

    /// The 8-byte numbers in `bytes`, in order.
    private static func numbers(in bytes: [UInt8]) -> [Int] {
        stride(from: 0, to: bytes.count - bytes.count % 8, by: 8).map { offset in
            bytes.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt64.self))) }
        }
    }

    /// A receiver whose sink appends each body as it is, checks that its
    /// state saw every sequence number in turn (appending nothing on a gap),
    /// and hands over bodies of `handOverSize` bytes or more.
    private static func receiver(on socket: Socket, chunkSize: Int, lagSize: Int? = nil, limit: Int? = nil, handOverSize: Int = .max,
                                 idleTimeout: Timeout = patience) throws(NNGError) -> EncodingReceiver {
        try EncodingReceiver(socket: socket, chunkSize: chunkSize, lagSize: lagSize ?? chunkSize, limit: limit, idleTimeout: idleTimeout,
                             state: 0) { calls, chunk, message, sequence in
            calls += 1
            if message.count >= handOverSize { return .handOver }
            if calls == sequence { message.withUnsafeBytes { chunk.append(contentsOf: $0) } }
            return .appended
        }
    }

    /// Sends messages `range` through a sender of its own and waits until they were accepted.
    private static func send(_ range: Range<Int>, to socket: Socket) async throws {
        let sender = try MessageSender(socket: socket, capacity: 64, timeout: patience)
        defer { sender.close() }
        try await onThread { () throws in
            for index in range { try sender.send(Self.numbered(index)) }
            let (notAccepted, error) = sender.finish(until: .after(.seconds(30)))
            if let error { throw error }
            if notAccepted > 0 { throw NNGError(.timedOut, operation: "send") }
        }
    }

    /// Writes nothing: collects what `nextOutput` hands over until it returns
    /// nil (or throws), recycling each chunk; the largest chunk and the error, if any.
    private static func drain(_ receiver: EncodingReceiver) async throws -> (bytes: [UInt8], largest: Int, ending: NNGError.Code?) {
        try await onThread { () -> ([UInt8], Int, NNGError.Code?) in
            var all: [UInt8] = [], largest = 0
            while true {
                do throws(NNGError) {
                    guard var output = try receiver.nextOutput(quiet: .milliseconds(1)) else { return (all, largest, nil) }
                    largest = max(largest, output.bytes.count)
                    all += output.bytes
                    if let message = output.message.take() { all += message.bytes }
                    receiver.recycle(output.bytes)
                } catch {
                    return (all, largest, error.code)
                }
            }
        }
    }

    /// Waits until the receiver has taken `count` messages; false after 10 s.
    private static func waitForReceived(_ receiver: EncodingReceiver, _ count: Int) async -> Bool {
        let deadline = MonotonicDeadline.after(.seconds(10))!
        while receiver.receivedCount < count {
            if deadline.hasPassed { return false }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return true
    }

    @Test("chunks carry every message in order; the chain stops at its limit and leaves the next message in the socket")
    func handOffInOrder() async throws {
        let total = 10_000
        let pair = try ConnectedPair(.pull0, .push0, over: .ipc)
        let receiver = try Self.receiver(on: pair.listening, chunkSize: 64, limit: total)
        defer { receiver.close() }
        receiver.start()
        async let sent: Void = Self.send(0..<(total + 1), to: pair.dialing)
        let (bytes, largest, ending) = try await Self.drain(receiver)
        try await sent
        #expect(ending == nil)
        #expect(Self.numbers(in: bytes) == Array(0..<total))
        #expect(largest <= 64, "a chunk is handed over as soon as it is full")
        #expect(receiver.receivedCount == total)
        let next = try await pair.listening.receive(timeout: patience)
        #expect(next.bytes == (try Self.numbered(total)).bytes)
    }

    @Test("with both chunks taken the chain pauses; recycling one resumes it without loss")
    func pauseAndResume() async throws {
        let total = 10
        let pair = try ConnectedPair(.pull0, .push0, over: .inproc)
        // Two messages fill a chunk: the first chunk waits for the writer,
        // the second fills, and then no receive is outstanding.
        let receiver = try Self.receiver(on: pair.listening, chunkSize: 16, limit: total)
        defer { receiver.close() }
        receiver.start()
        async let sent: Void = Self.send(0..<total, to: pair.dialing)
        #expect(await Self.waitForReceived(receiver, 4))
        try await Task.sleep(for: .milliseconds(200))
        #expect(receiver.receivedCount == 4, "paused with both chunks full")

        let (bytes, largest, ending) = try await Self.drain(receiver)
        try await sent
        #expect(ending == nil)
        #expect(Self.numbers(in: bytes) == Array(0..<total))
        #expect(largest == 16)
    }

    @Test("while the writer has a chunk the other fills up to lagSize before the chain pauses; the writer gets it whole")
    func lagBeforePause() async throws {
        let total = 12
        let pair = try ConnectedPair(.pull0, .push0, over: .inproc)
        // 8-byte messages: two fill a chunk, which waits for the writer; the
        // other may take six (48 bytes) before the chain pauses.
        let receiver = try Self.receiver(on: pair.listening, chunkSize: 16, lagSize: 48, limit: total)
        defer { receiver.close() }
        receiver.start()
        async let sent: Void = Self.send(0..<total, to: pair.dialing)
        #expect(await Self.waitForReceived(receiver, 8))
        try await Task.sleep(for: .milliseconds(200))
        #expect(receiver.receivedCount == 8, "paused with the second chunk at lagSize")

        let (bytes, largest, ending) = try await Self.drain(receiver)
        try await sent
        #expect(ending == nil)
        #expect(Self.numbers(in: bytes) == Array(0..<total))
        #expect(largest == 48, "the chunk that filled while the writer lagged is written whole")
    }

    @Test("closing while paused, holding a handed-over message, returns and frees what is held")
    func closeWhilePaused() async throws {
        let pair = try ConnectedPair(.pull0, .push0, over: .inproc)
        let receiver = try Self.receiver(on: pair.listening, chunkSize: 1 << 20, handOverSize: 8)
        receiver.start()
        async let sent: Void = Self.send(0..<4, to: pair.dialing)
        // Each message is handed over: the first chunk waits, the second holds a message, the chain pauses.
        #expect(await Self.waitForReceived(receiver, 2))
        try await Task.sleep(for: .milliseconds(100))
        #expect(receiver.receivedCount == 2)
        let start = ContinuousClock.now
        try await onThread {
            receiver.close()
            receiver.close()
        }
        #expect(seconds(since: start) < 5)
        pair.dialing.close()
        _ = try? await sent
    }

    @Test("a handed-over message follows the bytes encoded before it, in its own output")
    func handOver() async throws {
        let pair = try ConnectedPair(.pull0, .push0, over: .inproc)
        let receiver = try Self.receiver(on: pair.listening, chunkSize: 1 << 20, limit: 3, handOverSize: 100)
        defer { receiver.close() }
        receiver.start()
        let large = pattern(1000)
        try await pair.dialing.send(Self.numbered(0), timeout: patience)
        try await pair.dialing.send(Message(large), timeout: patience)
        try await pair.dialing.send(Self.numbered(2), timeout: patience)
        let outputs = try await onThread { () throws -> [[UInt8]] in
            var outputs: [[UInt8]] = []
            while var output = try receiver.nextOutput(quiet: .milliseconds(1)) {
                outputs.append(output.bytes + (output.message.take()?.bytes ?? []))
                receiver.recycle(output.bytes)
            }
            return outputs
        }
        #expect(outputs.count == 2)
        #expect(outputs.first == (try Self.numbered(0)).bytes + large)
        #expect(outputs.last == (try Self.numbered(2)).bytes)
    }

    @Test("a lone message is handed over once the chain is quiet; closing the socket ends it with .closed after what was buffered")
    func quietThenClosed() async throws {
        let pair = try ConnectedPair(.pull0, .push0, over: .inproc)
        let receiver = try Self.receiver(on: pair.listening, chunkSize: 1 << 20)
        defer { receiver.close() }
        receiver.start()
        try await pair.dialing.send(Self.numbered(7), timeout: patience)
        let lone = try await onThread { () throws -> [UInt8]? in
            guard let output = try receiver.nextOutput(quiet: .milliseconds(1)) else { return nil }
            let bytes = output.bytes
            receiver.recycle(output.bytes)
            return bytes
        }
        #expect(lone.map(Self.numbers(in:)) == [7])

        try await pair.dialing.send(Self.numbered(8), timeout: patience)
        try await pair.dialing.send(Self.numbered(9), timeout: patience)
        #expect(await Self.waitForReceived(receiver, 3))
        pair.listening.close()
        let (bytes, _, ending) = try await Self.drain(receiver)
        #expect(Self.numbers(in: bytes) == [8, 9])
        #expect(ending == .closed)
    }

    @Test("buffered bytes are handed over after longestHold even if the chain never looks quiet")
    func longestHold() async throws {
        let pair = try ConnectedPair(.pull0, .push0, over: .inproc)
        let receiver = try EncodingReceiver(socket: pair.listening, chunkSize: 1 << 20, idleTimeout: patience,
                                            longestHold: .milliseconds(50), state: ()) { _, chunk, message, _ in
            message.withUnsafeBytes { chunk.append(contentsOf: $0) }
            return .appended
        }
        defer { receiver.close() }
        receiver.start()
        try await pair.dialing.send(Self.numbered(3), timeout: patience)
        let held = try await onThread { () throws -> [UInt8]? in
            // A quiet period longer than the test's time limit: only the hold bound can end the wait.
            guard let output = try receiver.nextOutput(quiet: .seconds(3600)) else { return nil }
            let bytes = output.bytes
            receiver.recycle(output.bytes)
            return bytes
        }
        #expect(held.map(Self.numbers(in:)) == [3])
    }

    @Test("the chain fails with .timedOut after its idle timeout")
    func idleTimeout() async throws {
        let pull = try Socket(.pull0)
        defer { pull.close() }
        let receiver = try Self.receiver(on: pull, chunkSize: 64, idleTimeout: .after(.milliseconds(100)))
        defer { receiver.close() }
        receiver.start()
        let start = ContinuousClock.now
        let (bytes, _, ending) = try await Self.drain(receiver)
        #expect(bytes.isEmpty)
        #expect(ending == .timedOut)
        #expect(seconds(since: start) < 5)
    }
}
