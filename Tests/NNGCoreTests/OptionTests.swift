import NNGCore
import Testing

/// Typed options and options by name reach libnng and take effect.
@Suite("Socket options", .timeLimit(.minutes(1)))
struct OptionTests {
    /// Sends a message bigger than the receiver's limit, then one within it
    /// from a fresh sender: only the second may arrive.
    private func expectLimit(_ limit: Int, pull: Socket, push: Socket, address: String) async throws {
        try await push.send(Message(pattern(limit + 1, seed: 1)), timeout: patience)
        await #expect(throws: NNGError(.timedOut, operation: "receive")) {
            _ = try await pull.receive(timeout: .after(.milliseconds(300)))
        }
        // The oversized message cost that connection. A fresh sender is used
        // for the next message: libnng 1.5.2's push0 can crash inside
        // nng_send_aio when a socket sends again after its peer dropped the
        // connection and it reconnected, with other sockets busy in the process.
        push.close()
        let fresh = try Socket(.push0)
        defer { fresh.close() }
        try fresh.dial(address)
        let small = pattern(limit, seed: 2)
        try await fresh.send(Message(small), timeout: patience)
        let received = try await pull.receive(timeout: patience)
        let problem = mismatch(received, small)
        #expect(problem == nil)
    }

    @Test("set(.receiveMaxSize) drops bigger messages", arguments: [Transport.ipc, .tcp])
    func typedReceiveMaxSize(transport: Transport) async throws {
        let pair = try ConnectedPair(.pull0, .push0, over: transport) { pull, _ in
            try pull.set(.receiveMaxSize(1000))
        }
        #expect(try pair.listening.integerOption(named: "recv-size-max") == 1000)
        try await expectLimit(1000, pull: pair.listening, push: pair.dialing, address: dialAddress(for: pair.listener))
    }

    @Test("setOption(named: \"recv-size-max\") drops bigger messages", arguments: [Transport.ipc, .tcp])
    func namedReceiveMaxSize(transport: Transport) async throws {
        let pair = try ConnectedPair(.pull0, .push0, over: transport) { pull, push in
            try pull.setOption(named: "recv-size-max", to: "2000")
            try push.setOption(named: "reconnect-time-min", to: "250")
        }
        #expect(try pair.listening.integerOption(named: "recv-size-max") == 2000)
        #expect(try pair.dialing.integerOption(named: "reconnect-time-min") == 250)
        try await expectLimit(2000, pull: pair.listening, push: pair.dialing, address: dialAddress(for: pair.listener))
    }

    @Test("options by name are read back with the type libnng gives them")
    func namedRoundTrips() throws {
        let socket = try Socket(.pair1)
        defer { socket.close() }
        try socket.setOption(named: "recv-timeout", to: "50")
        #expect(try socket.integerOption(named: "recv-timeout") == 50)
        try socket.setOption(named: "send-buffer", to: "16")
        #expect(try socket.integerOption(named: "send-buffer") == 16)
        try socket.setOption(named: "recv-buffer", to: "32")
        #expect(try socket.integerOption(named: "recv-buffer") == 32)
        try socket.setOption(named: "tcp-nodelay", to: "false")
        try socket.setOption(named: "tcp-keepalive", to: "true")
    }

    @Test("unknown names, wrong types and bad values fail with the right codes")
    func namedFailures() throws {
        let socket = try Socket(.push0)
        defer { socket.close() }
        #expect(throws: NNGError(.notSupported, operation: "set option no-such-option")) {
            try socket.setOption(named: "no-such-option", to: "1")
        }
        #expect(throws: NNGError(.wrongType, operation: "set option recv-size-max")) {
            try socket.setOption(named: "recv-size-max", to: "lots")
        }
        #expect(throws: NNGError(.invalidArgument, operation: "set option send-buffer")) {
            try socket.setOption(named: "send-buffer", to: "9000")
        }
        #expect(throws: NNGError.self) { _ = try socket.integerOption(named: "no-such-option") }
    }

    @Test("every typed option is accepted and reads back")
    func typedOptions() throws {
        let push = try Socket(.push0)
        defer { push.close() }
        try push.set(.sendTimeout(.after(.milliseconds(250))))
        #expect(try push.integerOption(named: "send-timeout") == 250)
        try push.set(.receiveTimeout(.infinite))
        #expect(try push.integerOption(named: "recv-timeout") == -1)
        try push.set(.sendBuffer(64))
        #expect(try push.integerOption(named: "send-buffer") == 64)
        try push.set(.receiveBuffer(8))
        #expect(try push.integerOption(named: "recv-buffer") == 8)
        try push.set(.reconnectMinTime(.milliseconds(20)))
        #expect(try push.integerOption(named: "reconnect-time-min") == 20)
        try push.set(.reconnectMaxTime(.seconds(2)))
        #expect(try push.integerOption(named: "reconnect-time-max") == 2000)
        try push.set(.tcpNoDelay(true))
        try push.set(.tcpKeepAlive(false))
        #expect(throws: NNGError.self) { try push.set(.sendBuffer(9000)) }

        let surveyor = try Socket(.surveyor0)
        defer { surveyor.close() }
        try surveyor.set(.surveyTime(.milliseconds(1500)))
        #expect(try surveyor.integerOption(named: "surveyor:survey-time") == 1500)

        let req = try Socket(.req0)
        defer { req.close() }
        try req.set(.requestResendTime(.after(.seconds(3))))
        #expect(try req.integerOption(named: "req:resend-time") == 3000)
    }

    @Test("a sub-millisecond timeout rounds up rather than meaning 'now'")
    func subMillisecondRoundsUp() throws {
        let push = try Socket(.push0)
        defer { push.close() }
        try push.set(.sendTimeout(.after(.microseconds(10))))
        #expect(try push.integerOption(named: "send-timeout") == 1)
    }

    @Test("subscribing is only for sub sockets")
    func subscribeOnWrongSocket() throws {
        let push = try Socket(.push0)
        defer { push.close() }
        #expect(throws: NNGError.self) { try push.subscribe(to: Array("x".utf8)) }
    }
}
