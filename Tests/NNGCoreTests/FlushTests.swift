import NNGCore
import Testing

/// Socket.waitUntilFlushed: closing right after it loses nothing.
@Suite("Delivery before close", .timeLimit(.minutes(1)))
struct FlushTests {
    @Test("a large message survives closing the sender right after waitUntilFlushed",
          arguments: [Transport.ipc, .tcp])
    func flushBeforeClose(transport: Transport) async throws {
        let size = 16 << 20
        let body = pattern(size, seed: 42)
        let pull = try Socket(.pull0)
        defer { pull.close() }
        try pull.set(.receiveMaxSize(0))
        let listener = try pull.listen(listenAddress(transport))
        let push = try Socket(.push0)
        try push.dial(dialAddress(for: listener))
        try await push.send(Message(body), timeout: patience)
        let flushed = try await onThread { push.waitForFlush(timeout: .seconds(20)) }
        #expect(flushed == .flushed)
        push.close()
        let received = try await pull.receive(timeout: patience)
        let problem = mismatch(received, body)
        #expect(problem == nil)
    }

    @Test("many small messages survive closing the sender right after waitUntilFlushed",
          arguments: [Transport.ipc, .tcp])
    func flushManySmall(transport: Transport) async throws {
        let total = 2_000
        let pull = try Socket(.pull0)
        defer { pull.close() }
        let listener = try pull.listen(listenAddress(transport))
        let push = try Socket(.push0)
        try push.dial(dialAddress(for: listener))
        let receiving = Task { () -> String? in
            for index in 0..<total {
                do {
                    let message = try await pull.receive(timeout: patience)
                    let text = String(decoding: message.bytes, as: UTF8.self)
                    if text != "\(index)" { return "got \(text) where \(index) was due" }
                } catch {
                    return "receive \(index): \(error)"
                }
            }
            return nil
        }
        for index in 0..<total {
            try await push.send(Message(string: "\(index)"), timeout: patience)
        }
        #expect(try await onThread { push.waitUntilFlushed(timeout: .seconds(20)) })
        push.close()
        let problem = await receiving.value
        #expect(problem == nil)
    }

    @Test("waitForFlush reports .peersGone at once when the sender has no peer")
    func noPeer() async throws {
        let push = try Socket(.push0)
        defer { push.close() }
        let start = ContinuousClock.now
        #expect(try await onThread { push.waitForFlush(timeout: .seconds(5)) } == .peersGone)
        #expect(seconds(since: start) < 2)
    }

    @Test("waitForFlush gives up with .timedOut while a peer is not reading")
    func stuckPeerTimesOut() async throws {
        let pull = try Socket(.pull0)
        defer { pull.close() }
        let listener = try pull.listen(listenAddress(.ipc))
        let push = try Socket(.push0)
        defer { push.close() }
        try push.dial(dialAddress(for: listener))
        // Fill the pipe: the receiver never reads, so at some point a send stalls.
        var stalled = false
        for round in 0..<16 where !stalled {
            let outcome = await push.trySend(try Message(pattern(4 << 20, seed: round)), timeout: .after(.milliseconds(500)))
            if case .failed(let error, _) = consume outcome {
                #expect(error.code == .timedOut)
                stalled = true
            }
        }
        #expect(stalled)
        let start = ContinuousClock.now
        #expect(try await onThread { push.waitForFlush(timeout: .milliseconds(100)) } == .timedOut)
        #expect(try await onThread { push.waitUntilFlushed(timeout: .milliseconds(100)) } == false)
        let elapsed = seconds(since: start)
        #expect(elapsed >= 0.18)
        #expect(elapsed < 4)
    }

    @Test("sockets that cannot send, and pub, report flushed at once")
    func trivialFlush() throws {
        let pull = try Socket(.pull0)
        defer { pull.close() }
        #expect(pull.waitUntilFlushed(timeout: .zero))
        let pub = try Socket(.pub0)
        defer { pub.close() }
        #expect(pub.waitUntilFlushed(timeout: .milliseconds(100)))
    }

    @Test("the poll descriptors exist for the directions a protocol has")
    func descriptors() throws {
        let pair = try Socket(.pair1)
        defer { pair.close() }
        #expect(try pair.receiveDescriptor() >= 0)
        #expect(try pair.sendDescriptor() >= 0)
        let pull = try Socket(.pull0)
        defer { pull.close() }
        #expect(throws: NNGError(.notSupported, operation: "get send descriptor")) { _ = try pull.sendDescriptor() }
    }

    @Test("receiveIfReady returns nil when nothing waits, then the message once it arrived")
    func receiveIfReady() async throws {
        let pair = try ConnectedPair(.pull0, .push0, over: .inproc)
        #expect(try Self.receivesNothing(pair.listening))
        try await pair.dialing.send(Message(string: "ready"), timeout: patience)
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            if let message = try pair.listening.receiveIfReady() {
                #expect(message.bytes == Array("ready".utf8))
                return
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("the message never became ready")
    }

    private static func receivesNothing(_ socket: Socket) throws -> Bool {
        try socket.receiveIfReady() == nil
    }
}
