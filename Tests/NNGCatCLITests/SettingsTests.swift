import Testing
import NNGCore
@testable import NNGCatCLI

@Suite("settings")
struct SettingsTests {
    func send(_ words: [String]) throws -> SendSettings {
        try SettingsBuilder.send(try ArgumentParser.parse(words, command: .send))
    }

    func listen(_ words: [String]) throws -> ListenSettings {
        try SettingsBuilder.listen(try ArgumentParser.parse(words, command: .listen))
    }

    @Test("a bare URL takes the protocol's conventional side")
    func bareURL() throws {
        #expect(try send(["tcp://127.0.0.1:1"]).socket.dials == ["tcp://127.0.0.1:1"])
        #expect(try send(["--pub", "tcp://127.0.0.1:1"]).socket.listens == ["tcp://127.0.0.1:1"])
        #expect(try listen(["tcp://127.0.0.1:1"]).socket.listens == ["tcp://127.0.0.1:1"])
        #expect(try listen(["--sub", "tcp://127.0.0.1:1"]).socket.dials == ["tcp://127.0.0.1:1"])
    }

    @Test("messages come from arguments, --data, --file or stdin")
    func sources() throws {
        #expect(try send(["tcp://h:1", "a", "b"]).source == .messages([[97], [98]]))
        #expect(try send(["tcp://h:1", "-D", "x"]).source == .messages([[120]]))
        #expect(try send(["tcp://h:1"]).source == .stdinRecords)
        #expect(try send(["tcp://h:1", "--whole"]).source == .stdinWhole)
        #expect(throws: UsageError.self) { try send(["tcp://h:1", "a", "--data", "b"]) }
    }

    @Test("protocols by flag, versioned flag or name; two different ones are refused")
    func protocols() throws {
        #expect(try send(["--push0", "tcp://h:1"]).socket.socketProtocol == .push0)
        #expect(try send(["-p", "req", "tcp://h:1"]).socket.socketProtocol == .req0)
        #expect(try send(["--pair", "tcp://h:1"]).socket.socketProtocol == .pair1)
        #expect(throws: UsageError.self) { try send(["--pub", "--req", "tcp://h:1"]) }
        #expect(throws: UsageError.self) { try send(["--pull", "tcp://h:1"]) }
    }

    @Test("rep must be told how to answer")
    func repNeedsAnswer() throws {
        #expect(throws: UsageError("rep must answer: give --reply TEXT, --echo or --exec CMD")) { try listen(["--rep", "tcp://h:1"]) }
        #expect(try listen(["--rep", "--echo", "tcp://h:1"]).reply == .echo)
        #expect(try listen(["--rep", "--exec", "cat", "tcp://h:1"]).reply == .exec("cat"))
    }

    @Test("values are checked")
    func values() throws {
        #expect(try ValueParsers.duration("250ms", option: "-i") == .milliseconds(250))
        #expect(try ValueParsers.duration("0.5", option: "-i") == .milliseconds(500))
        #expect(try ValueParsers.duration("1m", option: "-i") == .seconds(60))
        #expect(throws: UsageError.self) { try ValueParsers.duration("-1", option: "-i") }
        #expect(try ValueParsers.size("64k", option: "-Z") == 65536)
        #expect(try ValueParsers.size("1m", option: "-Z") == 1 << 20)
        #expect(throws: UsageError.self) { try ValueParsers.size("1x", option: "-Z") }
        #expect(throws: UsageError.self) { try ValueParsers.integer("-1", option: "-C") }
        #expect(throws: UsageError.self) { try ValueParsers.url("tcp:/x", option: "--dial") }
        #expect(throws: UsageError.self) { try ValueParsers.url("foo://x", option: "--dial") }
    }
}
