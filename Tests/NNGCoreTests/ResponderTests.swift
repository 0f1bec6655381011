import NNGCore
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
}
