import Glibc
import NNGCore
import Testing

/// MessageSender and MessageReceiver: callback chains that stream many
/// messages in order, with back-pressure, and report their failures.
@Suite("Streaming chains", .timeLimit(.minutes(1)))
struct StreamingTests {
    /// An 8-byte message carrying `sequence`.
    private static func numbered(_ sequence: Int) throws(NNGError) -> Message {
        try Message(count: 8) { $0.storeBytes(of: UInt64(sequence).littleEndian, as: UInt64.self) }
    }

    private static func sequence(of message: borrowing Message) -> Int? {
        message.withUnsafeBytes { $0.count == 8 ? Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) : nil }
    }

    /// Sends messages 0..<total on a thread of its own, then waits for them to
    /// be accepted; returns how many were not, and the chain's error.
    private static func sendNumbered(_ total: Int, through sender: MessageSender, finishingWithin limit: Duration) async throws -> (Int, NNGError?) {
        try await onThread { () throws -> (Int, NNGError?) in
            for index in 0..<total { try sender.send(Self.numbered(index)) }
            return sender.finish(until: .after(limit))
        }
    }

    private static func queueIsEmpty(_ receiver: MessageReceiver) -> Bool {
        receiver.nextIfQueued() == nil
    }

    /// Receives until `count` messages arrived or something goes wrong; returns
    /// how many arrived in order and the first problem seen.
    private static func drain(_ receiver: MessageReceiver, count: Int, pause: Duration? = nil) throws -> (Int, String?) {
        let deadline = MonotonicDeadline.after(.seconds(60))
        var expected = 0
        while expected < count {
            if expected == 0, let pause { sleepFor(pause) }
            guard let message = try receiver.next(until: deadline) else { return (expected, "timed out waiting for \(expected)") }
            let got = sequence(of: message)
            if got != expected { return (expected, "got \(String(describing: got)) where \(expected) was due") }
            expected += 1
        }
        return (expected, nil)
    }

    @Test("100,000 messages push → pull arrive complete and in order", arguments: Transport.allCases)
    func hundredThousandInOrder(transport: Transport) async throws {
        let total = 100_000
        let pair = try ConnectedPair(.pull0, .push0, over: transport)
        let receiver = try MessageReceiver(socket: pair.listening, capacity: 256, idleTimeout: .after(.seconds(10)))
        defer { receiver.close() }
        let sender = try MessageSender(socket: pair.dialing, capacity: 256, timeout: .after(.seconds(10)))
        defer { sender.close() }
        receiver.start()

        async let sent = Self.sendNumbered(total, through: sender, finishingWithin: .seconds(60))
        async let received = onThread { try Self.drain(receiver, count: total) }

        let (notAccepted, sendError) = try await sent
        let (inOrder, problem) = try await received
        #expect(notAccepted == 0)
        #expect(sendError == nil)
        #expect(sender.acceptedCount == total)
        #expect(problem == nil)
        #expect(inOrder == total)
        #expect(Self.queueIsEmpty(receiver))
    }

    @Test("a full receive queue pauses the chain and draining resumes it without loss")
    func backPressure() async throws {
        let total = 2_000
        let pair = try ConnectedPair(.pull0, .push0, over: .ipc)
        let receiver = try MessageReceiver(socket: pair.listening, capacity: 4, idleTimeout: .after(.seconds(10)))
        defer { receiver.close() }
        let sender = try MessageSender(socket: pair.dialing, capacity: 8, timeout: .after(.seconds(10)))
        defer { sender.close() }
        receiver.start()
        async let sent = Self.sendNumbered(total, through: sender, finishingWithin: .seconds(30))
        // The consumer starts late, so the queue fills and the chain pauses first.
        async let received = onThread { try Self.drain(receiver, count: total, pause: .milliseconds(200)) }
        let (notAccepted, sendError) = try await sent
        let (inOrder, problem) = try await received
        #expect(notAccepted == 0)
        #expect(sendError == nil)
        #expect(problem == nil)
        #expect(inOrder == total)
    }

    @Test("batches take 100,000 messages in order through a queue smaller than a batch, pausing and resuming the chain")
    func batchesInOrder() async throws {
        let total = 100_000
        let pair = try ConnectedPair(.pull0, .push0, over: .ipc)
        let receiver = try MessageReceiver(socket: pair.listening, capacity: 64, idleTimeout: .after(.seconds(10)))
        defer { receiver.close() }
        let sender = try MessageSender(socket: pair.dialing, capacity: 256, timeout: .after(.seconds(10)))
        defer { sender.close() }
        receiver.start()
        async let sent = Self.sendNumbered(total, through: sender, finishingWithin: .seconds(60))
        let (inOrder, largest, problem) = try await onThread { () throws -> (Int, Int, String?) in
            var batch = MessageBatch(capacity: 100)
            var expected = 0, largest = 0
            while expected < total {
                guard try receiver.takeBatch(into: &batch, until: .after(.seconds(30))) else {
                    return (expected, largest, "timed out waiting for \(expected)")
                }
                largest = max(largest, batch.count)
                while let message = batch.next() {
                    let got = Self.sequence(of: message)
                    if got != expected { return (expected, largest, "got \(String(describing: got)) where \(expected) was due") }
                    expected += 1
                }
            }
            return (expected, largest, nil)
        }
        let (notAccepted, sendError) = try await sent
        #expect(problem == nil)
        #expect(inOrder == total)
        #expect(largest <= 64, "a batch holds at most what the queue held")
        #expect(notAccepted == 0)
        #expect(sendError == nil)
    }

    @Test("takeBatch returns false at its deadline, fills at most the batch's capacity, then throws the chain's end")
    func batchWaiting() async throws {
        let pair = try ConnectedPair(.pull0, .push0, over: .inproc)
        let receiver = try MessageReceiver(socket: pair.listening)
        defer { receiver.close() }
        receiver.start()
        #expect(Self.queueIsEmpty(receiver))
        let start = ContinuousClock.now
        let gotSome = try await onThread { () throws -> Bool in
            var batch = MessageBatch(capacity: 2)
            return try receiver.takeBatch(into: &batch, until: .after(.milliseconds(100)))
        }
        #expect(!gotSome)
        #expect(seconds(since: start) < 5)

        for index in 0..<3 { try await pair.dialing.send(Self.numbered(index), timeout: patience) }
        let listening = pair.listening
        let (held, third, code) = try await onThread { () throws -> (Int, Int?, NNGError.Code?) in
            var batch = MessageBatch(capacity: 2)
            try receiver.takeBatch(into: &batch, until: .after(.seconds(5)))
            let deadline = MonotonicDeadline.after(.seconds(5))!
            while batch.count < 2 && !deadline.hasPassed { try receiver.takeBatch(into: &batch, until: deadline) }
            let held = batch.count  // capped at the batch's capacity: the third stays queued
            _ = batch.next()
            _ = batch.next()
            listening.close()
            try receiver.takeBatch(into: &batch, until: .after(.seconds(5)))
            var third: Int?
            if let message = batch.next() { third = Self.sequence(of: message) }
            do throws(NNGError) {
                try receiver.takeBatch(into: &batch, until: .after(.seconds(5)))
                return (held, third, nil)
            } catch {
                return (held, third, error.code)
            }
        }
        #expect(held == 2)
        #expect(third == 2)
        #expect(code == .closed)
    }

    @Test("the receive chain fails with .timedOut after its idle timeout")
    func idleTimeout() async throws {
        let pull = try Socket(.pull0)
        defer { pull.close() }
        let receiver = try MessageReceiver(socket: pull, idleTimeout: .after(.milliseconds(100)))
        defer { receiver.close() }
        receiver.start()
        let start = ContinuousClock.now
        let code = try await onThread { () -> NNGError.Code? in
            do throws(NNGError) {
                _ = try receiver.next(until: .after(.seconds(5)))
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code == .timedOut)
        #expect(seconds(since: start) < 2)
    }

    @Test("next(until:) returns nil when its deadline passes first")
    func deadlinePasses() async throws {
        let pull = try Socket(.pull0)
        defer { pull.close() }
        let receiver = try MessageReceiver(socket: pull)
        defer { receiver.close() }
        receiver.start()
        #expect(Self.queueIsEmpty(receiver))
        let start = ContinuousClock.now
        let gotNothing = try await onThread { try receiver.next(until: .after(.milliseconds(100))) == nil }
        #expect(gotNothing)
        #expect(seconds(since: start) < 2)
    }

    @Test("messages queued before close are delivered, then closing the socket ends the chain with .closed")
    func socketCloseEndsChain() async throws {
        let pair = try ConnectedPair(.pull0, .push0, over: .inproc)
        let receiver = try MessageReceiver(socket: pair.listening)
        defer { receiver.close() }
        receiver.start()
        for index in 0..<3 { try await pair.dialing.send(Self.numbered(index), timeout: patience) }
        let firstThree = try await onThread { try Self.drain(receiver, count: 3) }
        #expect(firstThree.0 == 3)
        pair.listening.close()
        let code = try await onThread { () -> NNGError.Code? in
            do throws(NNGError) {
                _ = try receiver.next(until: .after(.seconds(5)))
                return nil
            } catch {
                return error.code
            }
        }
        #expect(code == .closed)
    }

    @Test("a send nobody takes fails the chain with .timedOut and counts the message as not accepted")
    func senderTimeout() async throws {
        let push = try Socket(.push0)
        defer { push.close() }
        let sender = try MessageSender(socket: push, capacity: 4, timeout: .after(.milliseconds(50)))
        defer { sender.close() }
        try sender.send(Self.numbered(0))
        try sender.send(Self.numbered(1))
        let start = ContinuousClock.now
        let (notAccepted, error) = try await onThread { sender.finish(until: .after(.seconds(5))) }
        #expect(error?.code == .timedOut)
        #expect(notAccepted == 2)
        #expect(sender.acceptedCount == 0)
        #expect(seconds(since: start) < 2)
        #expect(throws: NNGError(.timedOut, operation: "send")) { try sender.send(Self.numbered(2)) }
    }

    @Test("finish gives up at its deadline and cancels what is outstanding")
    func finishDeadline() async throws {
        let push = try Socket(.push0)
        defer { push.close() }
        let sender = try MessageSender(socket: push, capacity: 4)
        defer { sender.close() }
        try sender.send(Self.numbered(0))
        let start = ContinuousClock.now
        let (notAccepted, error) = try await onThread { sender.finish(until: .after(.milliseconds(100))) }
        #expect(notAccepted == 1)
        #expect(error?.code == .canceled)
        #expect(seconds(since: start) < 2)
    }

    @Test("sending after close throws .closed")
    func sendAfterClose() throws {
        let push = try Socket(.push0)
        defer { push.close() }
        let sender = try MessageSender(socket: push)
        sender.close()
        sender.close()
        #expect(throws: NNGError(.closed, operation: "send")) { try sender.send(Self.numbered(0)) }
    }

    @Test("a pub sender streams to a subscriber and closes cleanly")
    func pubSender() async throws {
        // pub0 never blocks and may drop for a slow subscriber: expect order, not completeness.
        let total = 5_000
        let pair = try ConnectedPair(.sub0, .pub0, over: .ipc) { sub, _ in try sub.subscribe(to: []) }
        let receiver = try MessageReceiver(socket: pair.listening, capacity: 8192, idleTimeout: .after(.seconds(3)))
        defer { receiver.close() }
        receiver.start()
        let sender = try MessageSender(socket: pair.dialing, capacity: 64)
        async let sent = Self.sendNumbered(total, through: sender, finishingWithin: .seconds(30))
        async let received = onThread { () -> (count: Int, ordered: Bool) in
            var count = 0, last = -1, ordered = true
            while true {
                guard let message = try? receiver.next(until: .after(.seconds(10))) else { break }
                let got = Self.sequence(of: message) ?? -1
                if got <= last { ordered = false }
                last = got
                count += 1
                if got == total - 1 { break }
            }
            return (count, ordered)
        }
        let (notAccepted, error) = try await sent
        let (count, ordered) = try await received
        // Closed only now, once the last message has surely left the pipe: a
        // sender that freed a message libnng already freed would crash here.
        sender.close()
        #expect(notAccepted == 0)
        #expect(error == nil)
        #expect(count > 0)
        #expect(ordered)
    }
}

/// Sleeps the calling (non-cooperative) thread.
private func sleepFor(_ duration: Duration) {
    let deadline = MonotonicDeadline.after(duration)!
    while !deadline.hasPassed {
        let remaining = deadline.remaining.components
        var time = timespec(tv_sec: Int(remaining.seconds), tv_nsec: Int(remaining.attoseconds / 1_000_000_000))
        nanosleep(&time, nil)
    }
}
