import NNGCore
import Testing

/// Per-operation timeouts end operations with `.timedOut`, promptly, and a
/// failed send hands its message back untouched.
@Suite("Timeouts and failed sends", .timeLimit(.minutes(1)))
struct TimeoutTests {
    @Test("a socket receive with a 100 ms timeout fails with .timedOut in under 2 s")
    func socketReceiveTimesOut() async throws {
        let pull = try Socket(.pull0)
        defer { pull.close() }
        try pull.listen(listenAddress(.inproc))
        let start = ContinuousClock.now
        do {
            _ = try await pull.receive(timeout: .after(.milliseconds(100)))
            Issue.record("received a message nobody sent")
        } catch {
            #expect(error.code == .timedOut)
            #expect(error.operation == "receive")
            #expect(error.description == "receive: Timed out")
        }
        let elapsed = seconds(since: start)
        #expect(elapsed >= 0.09)
        #expect(elapsed < 2)
    }

    @Test("a timed-out receive matches `catch NNGError.Code.timedOut`")
    func timeoutMatchesCodePattern() async throws {
        let sub = try Socket(.sub0)
        defer { sub.close() }
        try sub.subscribe(to: [])
        var matched = false
        do {
            _ = try await sub.receive(timeout: .after(.milliseconds(20)))
        } catch NNGError.Code.timedOut {
            matched = true
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(matched)
    }

    @Test("a context receive with a 100 ms timeout fails with .timedOut in under 2 s")
    func contextReceiveTimesOut() async throws {
        let rep = try Socket(.rep0)
        defer { rep.close() }
        let context = try Context(on: rep)
        defer { context.close() }
        let start = ContinuousClock.now
        await #expect(throws: NNGError(.timedOut, operation: "receive")) {
            _ = try await context.receive(timeout: .after(.milliseconds(100)))
        }
        #expect(seconds(since: start) < 2)
    }

    @Test("a send nobody takes fails with .timedOut and hands back the same bytes")
    func failedSendHandsMessageBack() async throws {
        let push = try Socket(.push0)
        defer { push.close() }
        let body = pattern(4096, seed: 7)
        let start = ContinuousClock.now
        let outcome = await push.trySend(try Message(body), timeout: .after(.milliseconds(50)))
        switch consume outcome {
        case .sent:
            Issue.record("a push socket without peers accepted a message")
        case .failed(let error, let message):
            #expect(error.code == .timedOut)
            #expect(error.operation == "send")
            let problem = mismatch(message, body)
            #expect(problem == nil)
        }
        #expect(seconds(since: start) < 2)
    }

    @Test("the handed-back message can be sent again once a peer arrives", arguments: Transport.allCases)
    func handedBackMessageIsReusable(transport: Transport) async throws {
        let push = try Socket(.push0)
        defer { push.close() }
        let body = pattern(1000, seed: 8)
        let outcome = await push.trySend(try Message(body), timeout: .after(.milliseconds(20)))
        guard case .failed(let error, let message) = consume outcome else {
            Issue.record("sent with no peer")
            return
        }
        #expect(error.code == .timedOut)
        let pull = try Socket(.pull0)
        defer { pull.close() }
        let listener = try pull.listen(listenAddress(transport))
        try push.dial(dialAddress(for: listener))
        try await push.send(message, timeout: patience)
        let received = try await pull.receive(timeout: patience)
        let problem = mismatch(received, body)
        #expect(problem == nil)
    }

    @Test("a zero timeout fails at once when the send cannot proceed")
    func zeroTimeoutIsImmediate() async throws {
        let push = try Socket(.push0)
        defer { push.close() }
        let start = ContinuousClock.now
        await #expect(throws: NNGError(.timedOut, operation: "send")) {
            try await push.send(Message(string: "x"), timeout: .after(.zero))
        }
        #expect(seconds(since: start) < 2)
    }

    @Test("closing the socket fails a pending send with .closed and hands the message back")
    func closeFailsPendingSend() async throws {
        let push = try Socket(.push0)
        let body = pattern(64, seed: 9)
        let sending = Task { () -> (NNGError.Code?, String?) in
            let outcome = await push.trySend(try! Message(body), timeout: patience)
            switch consume outcome {
            case .sent: return (nil, nil)
            case .failed(let error, let message): return (error.code, mismatch(message, body))
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        push.close()
        let (code, problem) = await sending.value
        #expect(code == .closed)
        #expect(problem == nil)
    }

    @Test("Timeout(nil) is infinite and Timeout(duration) is bounded")
    func timeoutInit() {
        #expect(Timeout(nil) == .infinite)
        #expect(Timeout(.milliseconds(5)) == .after(.milliseconds(5)))
    }
}
