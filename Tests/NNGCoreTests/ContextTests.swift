import NNGCore
import Synchronization
import Testing

/// Contexts let one socket carry several request/reply exchanges at once.
@Suite("Contexts", .timeLimit(.minutes(1)))
struct ContextTests {
    /// A count shared by concurrent tasks.
    private final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    @Test("four rep contexts hold four requests at once and each reply reaches its requester",
          arguments: Transport.allCases)
    func parallelReplies(transport: Transport) async throws {
        let pair = try ConnectedPair(.rep0, .req0, over: transport)
        let rep = pair.listening, req = pair.dialing
        let workers = 4
        let holding = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                let context = try Context(on: rep)
                group.addTask {
                    defer { context.close() }
                    let request = try await context.receive(timeout: patience)
                    let text = String(decoding: request.bytes, as: UTF8.self)
                    holding.value.add(1, ordering: .relaxed)
                    // Reply only once every worker holds a request: a socket
                    // that served one request at a time would never get here.
                    let deadline = ContinuousClock.now + .seconds(5)
                    while holding.value.load(ordering: .relaxed) < workers {
                        guard ContinuousClock.now < deadline else {
                            Issue.record("only \(holding.value.load(ordering: .relaxed)) requests were held at once")
                            return
                        }
                        try await Task.sleep(for: .milliseconds(2))
                    }
                    try await context.send(Message(string: "reply to " + text), timeout: patience)
                }
            }
            for index in 0..<workers {
                let context = try Context(on: req)
                group.addTask {
                    defer { context.close() }
                    try await context.send(Message(string: "request \(index)"), timeout: patience)
                    let reply = try await context.receive(timeout: patience)
                    #expect(String(decoding: reply.bytes, as: UTF8.self) == "reply to request \(index)")
                }
            }
            try await group.waitForAll()
        }
        #expect(holding.value.load(ordering: .relaxed) == workers)
    }

    @Test("surveyor contexts run separate surveys and collect their own answers")
    func surveyorContexts() async throws {
        let pair = try ConnectedPair(.respondent0, .surveyor0, over: .inproc)
        let respondent = pair.listening, surveyor = pair.dialing
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for _ in 0..<2 {
                    let question = try await respondent.receive(timeout: patience)
                    let text = String(decoding: question.bytes, as: UTF8.self)
                    try await respondent.send(Message(string: "answer to " + text), timeout: patience)
                }
            }
            for index in 0..<2 {
                let context = try Context(on: surveyor)
                try context.set(.surveyTime(.seconds(5)))
                group.addTask {
                    defer { context.close() }
                    try await context.send(Message(string: "survey \(index)"), timeout: patience)
                    let answer = try await context.receive(timeout: patience)
                    #expect(String(decoding: answer.bytes, as: UTF8.self) == "answer to survey \(index)")
                }
            }
            try await group.waitForAll()
        }
    }

    @Test("contexts accept their own timing options and refuse socket-only ones")
    func contextOptions() throws {
        let req = try Socket(.req0)
        defer { req.close() }
        let context = try Context(on: req)
        defer { context.close() }
        try context.set(.requestResendTime(.after(.seconds(2))))
        try context.set(.sendTimeout(.after(.milliseconds(100))))
        try context.set(.receiveTimeout(.infinite))
        #expect(throws: NNGError(.notSupported, operation: "set context option")) {
            try context.set(.receiveMaxSize(10))
        }
    }

    @Test("protocols without contexts refuse to open one")
    func noContexts() throws {
        let push = try Socket(.push0)
        defer { push.close() }
        #expect(!SocketProtocol.push0.supportsContexts)
        #expect(throws: NNGError(.notSupported, operation: "open context")) {
            _ = try Context(on: push)
        }
    }

    @Test("a context keeps working after another context on the socket closes; close is idempotent")
    func closeOneContext() async throws {
        let pair = try ConnectedPair(.rep0, .req0, over: .inproc)
        let spare = try Context(on: pair.listening)
        spare.close()
        spare.close()
        let server = try Context(on: pair.listening)
        defer { server.close() }
        try await pair.dialing.send(Message(string: "ping"), timeout: patience)
        let request = try await server.receive(timeout: patience)
        #expect(request.bytes == Array("ping".utf8))
        try await server.send(Message(string: "pong"), timeout: patience)
        #expect(try await pair.dialing.receive(timeout: patience).bytes == Array("pong".utf8))
    }
}
