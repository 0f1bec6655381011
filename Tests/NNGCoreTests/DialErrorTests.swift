import NNGCore
import Testing

/// Endpoint failures throw `NNGError`s that carry code, operation and URL,
/// and read like `dial tcp://127.0.0.1:5555: Connection refused`.
@Suite("Dial and listen errors", .timeLimit(.minutes(1)))
struct DialErrorTests {
    /// A TCP port that was just free: bound on 127.0.0.1, then released.
    private func closedPort() throws -> Int {
        let probe = try Socket(.pull0)
        defer { probe.close() }
        let listener = try probe.listen("tcp://127.0.0.1:0")
        return try #require(listener.port)
    }

    @Test("dialing a closed port fails with .connectionRefused and a readable description")
    func dialClosedPort() throws {
        let port = try closedPort()
        let push = try Socket(.push0)
        defer { push.close() }
        let url = "tcp://127.0.0.1:\(port)"
        do {
            try push.dial(url)
            Issue.record("dial to a closed port succeeded")
        } catch {
            #expect(error.code == .connectionRefused)
            #expect(error.operation == "dial")
            #expect(error.url == url)
            #expect(error.description == "dial tcp://127.0.0.1:\(port): Connection refused")
            #expect("\(error)" == "dial tcp://127.0.0.1:\(port): Connection refused")
        }
    }

    @Test("the refusal matches `catch NNGError.Code.connectionRefused`")
    func refusalMatchesCodePattern() throws {
        let port = try closedPort()
        let req = try Socket(.req0)
        defer { req.close() }
        var matched = false
        do {
            try req.dial("tcp://127.0.0.1:\(port)")
        } catch NNGError.Code.connectionRefused {
            matched = true
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(matched)
    }

    @Test("a non-blocking dial does not fail, and connects once a listener appears")
    func nonBlockingDialRetries() async throws {
        let address = listenAddress(.inproc)
        let push = try Socket(.push0)
        defer { push.close() }
        try push.set(.reconnectMinTime(.milliseconds(10)))
        try push.set(.reconnectMaxTime(.milliseconds(50)))
        let dialer = try push.dial(address, blocking: false)
        #expect(dialer.url == address)
        let pull = try Socket(.pull0)
        defer { pull.close() }
        try pull.listen(address)
        let connected = try await onThread { push.peers.waitForPeers(1, timeout: .seconds(5)) }
        #expect(connected)
        try await push.send(Message(string: "late"), timeout: patience)
        #expect(try await pull.receive(timeout: patience).bytes == Array("late".utf8))
    }

    @Test("listening twice on one address fails with .addressInUse", arguments: [Transport.ipc, .inproc, .tcp])
    func listenTwice(transport: Transport) throws {
        let first = try Socket(.pull0)
        defer { first.close() }
        let listener = try first.listen(listenAddress(transport))
        let url = dialAddress(for: listener)
        let second = try Socket(.pull0)
        defer { second.close() }
        expectEndpointFailure(.addressInUse, "listen", url) {
            try second.listen(url)
        }
    }

    @Test("malformed and unknown URLs are rejected with the URL in the error")
    func badURLs() throws {
        let push = try Socket(.push0)
        defer { push.close() }
        expectEndpointFailure(.notSupported, "dial", "bogus://x") {
            try push.dial("bogus://x")
        }
        expectEndpointFailure(.invalidAddress, "dial", "tcp://127.0.0.1") {
            try push.dial("tcp://127.0.0.1")
        }
        expectEndpointFailure(.invalidAddress, "listen", "ipc://") {
            try push.listen("ipc://")
        }
    }

    @Test("NNGError descriptions with and without context")
    func descriptions() {
        #expect(NNGError(.timedOut).description == "Timed out")
        #expect(NNGError(.canceled, operation: "receive").description == "receive: Operation canceled")
        #expect(NNGError(.addressInUse, operation: "listen", url: "ipc:///tmp/x").description == "listen ipc:///tmp/x: Address in use")
        #expect(NNGError.Code.connectionRefused.text == "Connection refused")
        #expect(NNGError.Code(rawValue: 5) == .timedOut)
    }
}

@Suite("Listening and endpoints", .timeLimit(.minutes(1)))
struct EndpointTests {
    @Test("listening on tcp://*:0 binds an ephemeral port reachable on 127.0.0.1")
    func wildcardListen() async throws {
        let pull = try Socket(.pull0)
        defer { pull.close() }
        let listener = try pull.listen("tcp://*:0")
        #expect(listener.url == "tcp://*:0")
        let port = try #require(listener.port)
        #expect(port > 0 && port < 65536)
        let push = try Socket(.push0)
        defer { push.close() }
        try push.dial("tcp://127.0.0.1:\(port)")
        try await push.send(Message(string: "to every address"), timeout: patience)
        #expect(try await pull.receive(timeout: patience).bytes == Array("to every address".utf8))
    }

    @Test("listening on tcp://:0 (empty host) works too")
    func emptyHostListen() async throws {
        let pull = try Socket(.pull0)
        defer { pull.close() }
        let port = try #require(try pull.listen("tcp://:0").port)
        let push = try Socket(.push0)
        defer { push.close() }
        try push.dial("tcp://127.0.0.1:\(port)")
        try await push.send(Message(string: "hi"), timeout: patience)
        #expect(try await pull.receive(timeout: patience).bytes == Array("hi".utf8))
    }

    @Test("ports exist only for TCP listeners")
    func portOnlyForTCP() throws {
        let pull = try Socket(.pull0)
        defer { pull.close() }
        #expect(try pull.listen(listenAddress(.inproc)).port == nil)
        #expect(try pull.listen(listenAddress(.ipc)).port == nil)
    }

    @Test("closing a listener refuses new connections; close is idempotent")
    func closeListener() throws {
        let pull = try Socket(.pull0)
        defer { pull.close() }
        let listener = try pull.listen("tcp://127.0.0.1:0")
        let port = try #require(listener.port)
        listener.close()
        listener.close()
        let push = try Socket(.push0)
        defer { push.close() }
        expectEndpointFailure(.connectionRefused, "dial", "tcp://127.0.0.1:\(port)") {
            try push.dial("tcp://127.0.0.1:\(port)")
        }
    }

    @Test("closing a dialer drops its connection; close is idempotent")
    func closeDialer() async throws {
        let pull = try Socket(.pull0)
        defer { pull.close() }
        let listener = try pull.listen(listenAddress(.inproc))
        let push = try Socket(.push0)
        defer { push.close() }
        let dialer = try push.dial(dialAddress(for: listener))
        #expect(try await onThread { pull.peers.waitForPeers(1, timeout: .seconds(5)) })
        dialer.close()
        dialer.close()
        let deadline = ContinuousClock.now + .seconds(5)
        while pull.peers.connectedCount > 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(pull.peers.connectedCount == 0)
    }

    @Test("URL schemes", arguments: [
        ("tcp://127.0.0.1:1", "tcp"), ("ipc:///tmp/x", "ipc"), ("inproc://a", "inproc"),
        ("tls+tcp://h:1", "tls+tcp"), ("ws://h:1/p", "ws"),
    ])
    func schemes(url: String, scheme: String) {
        #expect(Endpoint.scheme(of: url) == scheme)
        #expect(Endpoint.schemes.contains(scheme))
    }

    @Test("a URL without :// has no scheme")
    func noScheme() {
        #expect(Endpoint.scheme(of: "127.0.0.1:5555") == nil)
    }

    @Test("the library loaded is the release whose header we were compiled against")
    func libraryVersion() {
        // scripts/with-nng builds against another NNG: a header from /usr
        // with a private library (or the reverse) would show here.
        #expect(NNGLibrary.version == NNGLibrary.headerVersion)
    }
}

/// Expects `body` to fail with `code`, naming `operation` and `url`; other
/// fields of the error are not compared.
func expectEndpointFailure(_ code: NNGError.Code, _ operation: String, _ url: String,
                           sourceLocation: SourceLocation = #_sourceLocation,
                           _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("\(operation) \(url) succeeded", sourceLocation: sourceLocation)
    } catch let error as NNGError {
        #expect(error.code == code, sourceLocation: sourceLocation)
        #expect(error.operation == operation, sourceLocation: sourceLocation)
        #expect(error.url == url, sourceLocation: sourceLocation)
        #expect(error.description == "\(operation) \(url): \(code.text)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}
