import NNGCore
import Synchronization
import Testing

/// A responder answers requests from completion callbacks, with no thread of its own.
@Suite("Responder", .timeLimit(.minutes(1)))
struct ResponderTests {
    private static func text(_ message: borrowing Message) -> String {
        String(decoding: message.bytes, as: UTF8.self)
    }

    /// Replies are counted when the send completes, which can be just after
    /// the requester already holds the reply: wait for the count, bounded.
    private static func answered(_ responders: [Responder], reaching count: Int) async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(5)
        var total = 0
        while true {
            total = responders.reduce(0) { $0 + $1.answered }
            if total >= count || ContinuousClock.now > deadline { return total }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Stops the responders before the sockets close; naming the pair here
    /// also keeps it alive until then, not just until its last use.
    private static func stop(_ responders: [Responder], thenClose pair: ConnectedPair) {
        responders.forEach { $0.stop() }
        pair.dialing.close()
        pair.listening.close()
    }

    private static func expectNoReply(on socket: Socket) async {
        do {
            let reply = try await socket.receive(timeout: .after(.milliseconds(200)))
            Issue.record("unexpected reply \(text(reply))")
        } catch {
            #expect(error.code == .timedOut)
        }
    }

    @Test("answers every request with what the closure returns", arguments: Transport.allCases)
    func answersRequests(transport: Transport) async throws {
        let pair = try ConnectedPair(.rep0, .req0, over: transport)
        let responder = try Responder(context: try Context(on: pair.listening)) { request in
            try? Message(string: "re: " + Self.text(request))
        }
        responder.start()
        defer { Self.stop([responder], thenClose: pair) }
        for index in 0..<50 {
            try await pair.dialing.send(Message(string: "request \(index)"), timeout: patience)
            let reply = try await pair.dialing.receive(timeout: patience)
            #expect(Self.text(reply) == "re: request \(index)")
        }
        #expect(try await Self.answered([responder], reaching: 50) == 50)
        #expect(responder.failure == nil)
    }

    @Test("sending the request back echoes it unchanged, header and all left to the protocol")
    func echoesTheSameMessage() async throws {
        let pair = try ConnectedPair(.rep0, .req0, over: .ipc)
        let responder = try Responder(context: try Context(on: pair.listening)) { request in request }
        responder.start()
        defer { Self.stop([responder], thenClose: pair) }
        let body = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try await pair.dialing.send(Message(body), timeout: patience)
        #expect(try await pair.dialing.receive(timeout: patience).bytes == body)
    }

    @Test("nil leaves a request unanswered and the next one is still served")
    func nilLeavesUnanswered() async throws {
        let pair = try ConnectedPair(.rep0, .req0, over: .inproc)
        let responder = try Responder(context: try Context(on: pair.listening)) { request in
            if Self.text(request) == "ignore me" { return nil }
            return request
        }
        responder.start()
        defer { Self.stop([responder], thenClose: pair) }
        try await pair.dialing.send(Message(string: "ignore me"), timeout: patience)
        await Self.expectNoReply(on: pair.dialing)
        try await pair.dialing.send(Message(string: "answer me"), timeout: patience)
        #expect(Self.text(try await pair.dialing.receive(timeout: patience)) == "answer me")
        #expect(try await Self.answered([responder], reaching: 1) == 1)
    }

    @Test("responders on four contexts route each reply to its requester")
    func answersConcurrentClients() async throws {
        let pair = try ConnectedPair(.rep0, .req0, over: .tcp)
        let responders = try (0..<4).map { _ in
            try Responder(context: try Context(on: pair.listening)) { request in
                try? Message(string: "re: " + Self.text(request))
            }
        }
        responders.forEach { $0.start() }
        defer { Self.stop(responders, thenClose: pair) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<8 {
                let context = try Context(on: pair.dialing)
                group.addTask {
                    defer { context.close() }
                    for round in 0..<25 {
                        try await context.send(Message(string: "\(client).\(round)"), timeout: patience)
                        #expect(Self.text(try await context.receive(timeout: patience)) == "re: \(client).\(round)")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await Self.answered(responders, reaching: 200) == 200)
    }

    @Test("after stop no request is answered; closing the socket is not a failure")
    func stopEndsTheChain() async throws {
        let pair = try ConnectedPair(.rep0, .req0, over: .ipc)
        let responder = try Responder(context: try Context(on: pair.listening)) { request in request }
        responder.start()
        try await pair.dialing.send(Message(string: "first"), timeout: patience)
        #expect(Self.text(try await pair.dialing.receive(timeout: patience)) == "first")
        responder.stop()
        responder.stop()  // idempotent
        try await pair.dialing.send(Message(string: "second"), timeout: patience)
        await Self.expectNoReply(on: pair.dialing)

        Self.stop([responder], thenClose: pair)

        let lone = try Socket(.rep0)
        let other = try Responder(context: try Context(on: lone)) { request in request }
        other.start()
        lone.close()
        #expect(other.failure == nil)
        other.stop()
    }
    @Test("mayReceive refusing leaves the responder idle until resume; the hooks hear each reply")
    func mayReceiveAndResume() async throws {
        let pair = try ConnectedPair(.rep0, .req0, over: .ipc)
        let allowed = Atomic<Int>(1)
        let replies = Atomic<Int>(0)
        let hooks = Responder.Hooks(mayReceive: { allowed.subtract(1, ordering: .relaxed).oldValue > 0 },
                                    replied: { if $0 == nil { replies.add(1, ordering: .relaxed) } })
        let responder = try Responder(context: try Context(on: pair.listening), hooks: hooks) { request in request }
        responder.start()
        defer { Self.stop([responder], thenClose: pair) }
        try await pair.dialing.send(Message(string: "one"), timeout: patience)
        #expect(Self.text(try await pair.dialing.receive(timeout: patience)) == "one")
        #expect(try await Self.answered([responder], reaching: 1) == 1)
        // Refused after the first: the second request waits in the socket.
        // (Not with a receive that times out: req0 then forgets the request.)
        try await pair.dialing.send(Message(string: "two"), timeout: patience)
        try await Task.sleep(for: .milliseconds(200))
        #expect(responder.answered == 1)
        allowed.store(1, ordering: .relaxed)
        responder.resume()
        #expect(Self.text(try await pair.dialing.receive(timeout: patience)) == "two")
        #expect(try await Self.answered([responder], reaching: 2) == 2)
        #expect(replies.load(ordering: .relaxed) == 2)
    }

    @Test("a receive timeout ends the chain, told to the ended hook and kept as the failure")
    func receiveTimeoutEnds() async throws {
        let pair = try ConnectedPair(.rep0, .req0, over: .inproc)
        let endings = Locked<[NNGError.Code]>([])
        let hooks = Responder.Hooks(ended: { error in endings.withLock { $0.append(error.code) } })
        let responder = try Responder(context: try Context(on: pair.listening), receiveTimeout: .after(.milliseconds(50)),
                                      hooks: hooks) { request in request }
        responder.start()
        defer { Self.stop([responder], thenClose: pair) }
        let deadline = ContinuousClock.now + .seconds(5)
        while endings.withLock({ $0.isEmpty }) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(endings.withLock { $0 } == [.timedOut])
        #expect(responder.failure?.code == .timedOut)
    }

    @Test("closing the socket ends the chain through the ended hook, with no failure")
    func closingIsAnEnding() async throws {
        let lone = try Socket(.rep0)
        let endings = Locked<[NNGError.Code]>([])
        let responder = try Responder(context: try Context(on: lone),
                                      hooks: .init(ended: { error in endings.withLock { $0.append(error.code) } })) { $0 }
        responder.start()
        lone.close()
        let deadline = ContinuousClock.now + .seconds(5)
        while endings.withLock({ $0.isEmpty }) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(endings.withLock { $0 } == [.closed])
        #expect(responder.failure == nil)
        responder.stop()
    }
}
