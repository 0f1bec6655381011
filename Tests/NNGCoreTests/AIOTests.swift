import NNGCore
import Testing

/// The aio handle itself: per-operation timeouts, message hand-over, and
/// waiting for the first of several handles.
@Suite("AIO", .timeLimit(.minutes(1)))
struct AIOTests {
    @Test("waitForFirst returns the index of the handle that completed")
    func waitForFirstPicksCompleted() async throws {
        let slow = try AIO(), quick = try AIO()
        defer { slow.close(); quick.close() }
        slow.startSleep(.seconds(5))
        quick.startSleep(.milliseconds(20))
        let start = ContinuousClock.now
        let index = try await onThread { AIO.waitForFirst(of: [slow, quick], timeout: .seconds(3)) }
        #expect(index == 1)
        #expect(seconds(since: start) < 2)
        #expect(quick.isDone)
        #expect(!slow.isDone)
        slow.cancel()
    }

    @Test("waitForFirst returns nil when nothing completes in time")
    func waitForFirstTimesOut() async throws {
        let pull = try Socket(.pull0)
        defer { pull.close() }
        let first = try AIO(), second = try AIO()
        defer { first.close(); second.close() }
        first.startReceive(on: pull, timeout: patience)
        second.startReceive(on: pull, timeout: patience)
        let start = ContinuousClock.now
        let index = try await onThread { AIO.waitForFirst(of: [first, second], timeout: .milliseconds(100)) }
        let elapsed = seconds(since: start)
        #expect(index == nil)
        #expect(elapsed >= 0.09)
        #expect(elapsed < 2)
        first.cancel()
        second.cancel()
    }

    @Test("waitForFirst wakes for a received message and the aio holds it")
    func waitForFirstWithMessages() async throws {
        let pairA = try ConnectedPair(.pull0, .push0, over: .inproc)
        let pairB = try ConnectedPair(.pull0, .push0, over: .inproc)
        let onA = try AIO(), onB = try AIO()
        defer { onA.close(); onB.close() }
        onA.startReceive(on: pairA.listening, timeout: patience)
        onB.startReceive(on: pairB.listening, timeout: patience)
        let waiter = Task { try await onThread { AIO.waitForFirst(of: [onA, onB], timeout: .seconds(5)) } }
        try await pairB.dialing.send(Message(string: "to B"), timeout: patience)
        #expect(try await waiter.value == 1)
        try onB.result()
        guard let message = onB.takeMessage() else {
            Issue.record("the completed receive holds no message")
            return
        }
        #expect(message.bytes == Array("to B".utf8))
        onA.cancel()
        onA.wait()
        #expect(throws: NNGError(.canceled, operation: "aio")) { try onA.result() }
    }

    @Test("a handle already complete counts at once")
    func alreadyComplete() async throws {
        let done = try AIO(), pending = try AIO()
        defer { done.close(); pending.close() }
        done.startSleep(.milliseconds(1))
        done.wait()
        pending.startSleep(.seconds(5))
        let start = ContinuousClock.now
        let index = try await onThread { AIO.waitForFirst(of: [pending, done], timeout: .seconds(5)) }
        #expect(index == 1)
        #expect(seconds(since: start) < 2)
        pending.cancel()
    }

    @Test("an aio receive times out on its own timeout")
    func aioTimeout() throws {
        let pull = try Socket(.pull0)
        defer { pull.close() }
        let aio = try AIO()
        defer { aio.close() }
        let start = ContinuousClock.now
        aio.startReceive(on: pull, timeout: .after(.milliseconds(50)))
        aio.wait()
        #expect(throws: NNGError(.timedOut, operation: "aio")) { try aio.result() }
        #expect(holdsNoMessage(aio))
        #expect(seconds(since: start) < 2)
    }

    @Test("a failed aio send leaves the message on the aio to take back")
    func failedSendKeepsMessage() throws {
        let push = try Socket(.push0)
        defer { push.close() }
        let aio = try AIO()
        defer { aio.close() }
        aio.startSend(try Message(string: "keep me"), on: push, timeout: .after(.milliseconds(20)))
        aio.wait()
        #expect(throws: NNGError(.timedOut, operation: "aio")) { try aio.result() }
        guard let back = aio.takeMessage() else {
            Issue.record("the failed send left no message")
            return
        }
        #expect(back.bytes == Array("keep me".utf8))
        #expect(holdsNoMessage(aio))
    }

    @Test("after a successful send the aio holds no message, on every sending protocol",
          arguments: [SocketProtocol.pub0, .push0, .pair0, .pair1, .bus0, .req0, .surveyor0])
    func successfulSendLeavesNothing(sender: SocketProtocol) async throws {
        // libnng 1.5.2's pub0 frees the message yet leaves its pointer on the
        // aio: taking or freeing it again would be a double free.
        let pair = try ConnectedPair(sender.peer, sender, over: .inproc) { receiver, sending in
            if receiver.socketProtocol == .sub0 { try receiver.subscribe(to: []) }
            if sending.socketProtocol == .surveyor0 { try sending.set(.surveyTime(.seconds(10))) }
        }
        let aio = try AIO()
        defer { aio.close() }
        for round in 0..<3 {
            aio.startSend(try Message(pattern(256, seed: round)), on: pair.dialing, timeout: patience)
            await aio.completion()
            try aio.result()
            #expect(holdsNoMessage(aio))
            let received = try await pair.listening.receive(timeout: patience)
            let problem = mismatch(received, pattern(256, seed: round))
            #expect(problem == nil)
            if sender == .req0 || sender == .surveyor0 {
                try await pair.listening.send(Message(string: "ack"), timeout: patience)
                _ = try await pair.dialing.receive(timeout: patience)
            }
        }
    }

    @Test("an aio can be reused for many operations, and close is idempotent")
    func reuse() async throws {
        let pair = try ConnectedPair(.pair1, .pair1, over: .inproc)
        let sending = try AIO(), receiving = try AIO()
        for index in 0..<50 {
            receiving.startReceive(on: pair.listening, timeout: patience)
            sending.startSend(try Message(string: "m\(index)"), on: pair.dialing, timeout: patience)
            await sending.completion()
            try sending.result()
            await receiving.completion()
            try receiving.result()
            guard let message = receiving.takeMessage() else {
                Issue.record("receive \(index) holds no message")
                return
            }
            #expect(message.bytes == Array("m\(index)".utf8))
        }
        sending.close()
        sending.close()
        receiving.close()
    }
}

/// Whether `aio` holds no message now (one it did hold is freed).
private func holdsNoMessage(_ aio: AIO) -> Bool {
    aio.takeMessage() == nil
}
