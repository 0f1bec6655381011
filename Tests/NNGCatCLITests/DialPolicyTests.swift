import Testing
import NNGCore
@testable import NNGCatCLI

@Suite("dial policy")
struct DialPolicyTests {
    func send(_ words: [String]) throws -> SendSettings {
        try SettingsBuilder.send(try ArgumentParser.parse(words, command: .send))
    }

    func listen(_ words: [String]) throws -> ListenSettings {
        try SettingsBuilder.listen(try ArgumentParser.parse(words, command: .listen))
    }

    func repl(_ words: [String]) throws -> SocketSettings {
        try ReplMode.settings(try ArgumentParser.parse(words, command: .repl))
    }

    @Test("send fails fast; listen and repl retry; --async dials in the background")
    func defaults() throws {
        #expect(try send(["tcp://127.0.0.1:1"]).socket.dialPolicy == .failFast)
        #expect(try send(["--async", "tcp://127.0.0.1:1"]).socket.dialPolicy == .background)
        #expect(try listen(["--sub", "tcp://127.0.0.1:1"]).socket.dialPolicy == .retry)
        #expect(try listen(["--sub", "--async", "tcp://127.0.0.1:1"]).socket.dialPolicy == .background)
        #expect(try repl(["--req", "tcp://127.0.0.1:1"]).dialPolicy == .retry)
    }

    @Test("--no-retry restores failing fast, and contradicts --async")
    func noRetry() throws {
        #expect(try listen(["--sub", "--no-retry", "tcp://127.0.0.1:1"]).socket.dialPolicy == .failFast)
        #expect(try repl(["--req", "--no-retry", "tcp://127.0.0.1:1"]).dialPolicy == .failFast)
        #expect(throws: UsageError("--async and --no-retry contradict each other")) {
            try listen(["--sub", "--async", "--no-retry", "tcp://127.0.0.1:1"])
        }
        #expect(throws: UsageError.self) { try send(["--no-retry", "tcp://127.0.0.1:1"]) }
    }

    @Test("reconnect back-off bounds are parsed and checked against each other")
    func reconnect() throws {
        let settings = try listen(["--sub", "--reconnect-min", "50ms", "--reconnect-max", "2s", "tcp://127.0.0.1:1"]).socket
        #expect(settings.reconnectMin == .milliseconds(50))
        #expect(settings.reconnectMax == .seconds(2))
        #expect(throws: UsageError("--reconnect-max 1s is shorter than --reconnect-min 2s")) {
            try listen(["--sub", "--reconnect-min", "2s", "--reconnect-max", "1s", "tcp://127.0.0.1:1"])
        }
    }

    @Test("only 'nobody is there yet' is worth a retry",
          arguments: [(NNGError.Code.connectionRefused, true), (.unreachable, true), (.timedOut, true), (.notFound, true),
                      (.invalidAddress, false), (.cryptographicError, false), (.peerAuthenticationFailed, false),
                      (.protocolError, false), (.notSupported, false)])
    func retryable(code: NNGError.Code, retried: Bool) {
        #expect(code.meansNobodyIsThereYet == retried)
    }
}
