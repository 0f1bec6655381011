import NNGCore
import Testing

/// Each protocol pair moves real messages, byte for byte, over every transport.
@Suite("Protocol pairs", .timeLimit(.minutes(1)))
struct ProtocolPairTests {
    /// Empty, tiny, ordinary and 1 MiB bodies, each distinct.
    static let bodies: [[UInt8]] = [[], pattern(1, seed: 1), pattern(1000, seed: 2), pattern(oneMiB, seed: 3)]

    /// Sends `body` on `from` and expects exactly it on `to`.
    private func deliver(_ body: [UInt8], from: Socket, to: Socket) async throws {
        try await from.send(Message(body), timeout: patience)
        let received = try await to.receive(timeout: patience)
        let problem = mismatch(received, body)
        #expect(problem == nil)
    }

    @Test("push → pull", arguments: Transport.allCases)
    func pushPull(transport: Transport) async throws {
        let pair = try ConnectedPair(.pull0, .push0, over: transport)
        for body in Self.bodies {
            try await deliver(body, from: pair.dialing, to: pair.listening)
        }
    }

    @Test("pub → sub, subscribed to everything", arguments: Transport.allCases)
    func pubSub(transport: Transport) async throws {
        let pair = try ConnectedPair(.pub0, .sub0, over: transport) { _, sub in
            try sub.subscribe(to: [])
        }
        for body in Self.bodies {
            try await deliver(body, from: pair.listening, to: pair.dialing)
        }
    }

    @Test("sub receives only its topics", arguments: Transport.allCases)
    func subscriptionFilters(transport: Transport) async throws {
        let pair = try ConnectedPair(.pub0, .sub0, over: transport) { _, sub in
            try sub.subscribe(to: Array("news.".utf8))
        }
        let pub = pair.listening, sub = pair.dialing
        try await pub.send(Message(string: "sport.goal"), timeout: patience)
        try await pub.send(Message(string: "news.first"), timeout: patience)
        try await pub.send(Message(string: "weather.rain"), timeout: patience)
        try await pub.send(Message(string: "news.second"), timeout: patience)
        #expect(try await sub.receive(timeout: patience).bytes == Array("news.first".utf8))
        #expect(try await sub.receive(timeout: patience).bytes == Array("news.second".utf8))
        // Nothing else is queued: the other topics were filtered out.
        await #expect(throws: NNGError(.timedOut, operation: "receive")) {
            _ = try await sub.receive(timeout: .after(.milliseconds(50)))
        }
        try sub.unsubscribe(from: Array("news.".utf8))
        try await pub.send(Message(string: "news.third"), timeout: patience)
        await #expect(throws: NNGError(.timedOut, operation: "receive")) {
            _ = try await sub.receive(timeout: .after(.milliseconds(100)))
        }
    }

    @Test("req ⇄ rep", arguments: Transport.allCases)
    func requestReply(transport: Transport) async throws {
        let pair = try ConnectedPair(.rep0, .req0, over: transport)
        let rep = pair.listening, req = pair.dialing
        for (index, body) in Self.bodies.enumerated() {
            try await req.send(Message(body), timeout: patience)
            let request = try await rep.receive(timeout: patience)
            let requestProblem = mismatch(request, body)
            #expect(requestProblem == nil)
            let answer = pattern(body.count, seed: 100 + index)
            try await rep.send(Message(answer), timeout: patience)
            let reply = try await req.receive(timeout: patience)
            let replyProblem = mismatch(reply, answer)
            #expect(replyProblem == nil)
        }
    }

    @Test("pair0 both ways", arguments: Transport.allCases)
    func pair0(transport: Transport) async throws {
        let pair = try ConnectedPair(.pair0, .pair0, over: transport)
        for (index, body) in Self.bodies.enumerated() {
            try await deliver(body, from: pair.dialing, to: pair.listening)
            try await deliver(pattern(body.count, seed: 200 + index), from: pair.listening, to: pair.dialing)
        }
    }

    @Test("pair1 both ways", arguments: Transport.allCases)
    func pair1(transport: Transport) async throws {
        let pair = try ConnectedPair(.pair1, .pair1, over: transport)
        for (index, body) in Self.bodies.enumerated() {
            try await deliver(body, from: pair.dialing, to: pair.listening)
            try await deliver(pattern(body.count, seed: 300 + index), from: pair.listening, to: pair.dialing)
        }
    }

    @Test("bus both ways", arguments: Transport.allCases)
    func bus(transport: Transport) async throws {
        let pair = try ConnectedPair(.bus0, .bus0, over: transport)
        for (index, body) in Self.bodies.enumerated() {
            try await deliver(body, from: pair.dialing, to: pair.listening)
            try await deliver(pattern(body.count, seed: 400 + index), from: pair.listening, to: pair.dialing)
        }
    }

    @Test("surveyor ⇄ respondent", arguments: Transport.allCases)
    func survey(transport: Transport) async throws {
        let pair = try ConnectedPair(.surveyor0, .respondent0, over: transport) { surveyor, _ in
            // The default 1 s survey could end before a 1 MiB answer on a busy machine.
            try surveyor.set(.surveyTime(.seconds(10)))
        }
        let surveyor = pair.listening, respondent = pair.dialing
        for (index, body) in Self.bodies.enumerated() {
            try await surveyor.send(Message(body), timeout: patience)
            let question = try await respondent.receive(timeout: patience)
            let questionProblem = mismatch(question, body)
            #expect(questionProblem == nil)
            let answer = pattern(body.count, seed: 500 + index)
            try await respondent.send(Message(answer), timeout: patience)
            let response = try await surveyor.receive(timeout: patience)
            let responseProblem = mismatch(response, answer)
            #expect(responseProblem == nil)
        }
    }

    @Test("a survey nobody answers ends promptly once its time is up")
    func surveyExpires() async throws {
        let pair = try ConnectedPair(.surveyor0, .respondent0, over: .inproc) { surveyor, _ in
            try surveyor.set(.surveyTime(.milliseconds(100)))
        }
        let start = ContinuousClock.now
        try await pair.listening.send(Message(string: "anyone?"), timeout: patience)
        do {
            _ = try await pair.listening.receive(timeout: patience)
            Issue.record("an unanswered survey produced a response")
        } catch {
            // .timedOut when the receive was waiting as the survey ended;
            // .incorrectState when the survey had already ended (libnng 1.5.2).
            #expect(error.code == .timedOut || error.code == .incorrectState)
        }
        #expect(seconds(since: start) < 2)
        // The respondent did get the question.
        _ = try await pair.dialing.receive(timeout: patience)
    }
}
