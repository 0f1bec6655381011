import Glibc
import Testing
import NNGCore
@testable import NNGCatCLI

/// The legacy settings: the C tool's `intarg` and its checks after scanning.
/// Expectations marked "C" were checked against /usr/bin/nngcat 1.5.2.
@Suite("legacy settings")
struct LegacySettingsTests {
    enum Outcome: Equatable {
        case success(Int)
        case failure(String)
    }

    static func integer(_ text: String, max: Int32 = 0x7fff_ffff) -> Outcome {
        do {
            return .success(try LegacySettings.integer(text, max: max))
        } catch {
            return .failure(error.message ?? "")
        }
    }

    static func failure(_ words: [String]) -> String? {
        do {
            _ = try LegacySettings.parse(words)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("integers are computed in a wrapping 32-bit int, as C's intarg does", arguments: [
        ("0", 0),
        ("007", 7),
        ("2147483647", 2_147_483_647),
        // C: `--count 4294967296` sends once (count 0) and `--count 4294967298` twice.
        ("4294967296", 0),
        ("4294967298", 2),
        // Wraps twice to a positive value, so it is accepted (C: the next option's error is the one reported).
        ("99999999999", 1_215_752_191),
    ])
    func wraparound(text: String, expected: Int) {
        #expect(Self.integer(text) == .success(expected))
    }

    @Test("integers that are refused, with C's texts", arguments: [
        ("", 0x7fff_ffff, "Empty integer argument."),
        ("-1", 0x7fff_ffff, "Integer argument expected."),
        ("+5", 0x7fff_ffff, "Integer argument expected."),
        (" 5", 0x7fff_ffff, "Integer argument expected."),
        ("0x10", 0x7fff_ffff, "Integer argument expected."),
        ("4294967296x", 0x7fff_ffff, "Integer argument expected."),   // the digits before wrap to 0 first
        ("2147483648", 0x7fff_ffff, "Integer argument overflow."),
        ("3000000000", 0x7fff_ffff, "Integer argument overflow."),
        ("21474836470", 0x7fff_ffff, "Integer argument overflow."),
        ("65537", 65536, "Integer argument too large."),
        ("86401", 86400, "Integer argument too large."),
        // The check runs after every digit: 429496729 > 86400 before the wrap could hide it.
        ("4294967297", 86400, "Integer argument too large."),
    ] as [(String, Int32, String)])
    func refusedIntegers(text: String, max: Int32, message: String) {
        #expect(Self.integer(text, max: max) == .failure(message))
    }

    @Test("the maximum itself is accepted (C: -L 65536 reaches the listener)")
    func maximumIsInclusive() throws {
        #expect(Self.integer("65536", max: 65536) == .success(65536))
        let settings = try LegacySettings.parse(["--pull0", "-L", "65536"])
        #expect(settings.addresses.map(\.url) == ["tcp://127.0.0.1:65536"])
    }

    @Test("seconds become milliseconds; --recv-maxsz 0 means no limit")
    func units() throws {
        let settings = try LegacySettings.parse(["--pull0", "--dial", "x", "--recv-timeout", "86400", "-Z", "0", "-d", "2"])
        #expect(settings.receiveTimeout == 86_400_000)
        #expect(settings.receiveMaxSize == 0x7fff_ffff)
        #expect(settings.delay == 2000)
        #expect(Self.failure(["--pull0", "--dial", "x", "-Z", "1k"]) == "Integer argument expected.")
    }

    @Test("options are acted on as scanned, so the first fault in the line is the one reported (C: same text)", arguments: [
        (["--count", "2147483648", "--bogus"], "Integer argument overflow."),
        (["--count", "99999999999", "--bogus"], "Option --bogus is invalid."),
        (["--bogus", "--count", "2147483648"], "Option --bogus is invalid."),
        (["--sub", "--dial", "x", "--subscribe", "a", "--pull0"], "Only one protocol may be specified."),
        (["--req", "--rep"], "Only one protocol may be specified."),
        (["--dial", "x", "--pub0", "--data=a=b", "--raw", "--format", "no"], "Format may be specified only once."),
        (["--dial", "x", "--pub0", "--dat=a", "-F", "/nonexistent"], "Data (--file, --data) may be specified only once."),
        (["--dial", "x", "--push0", "-F", "/nonexistent"], "Cannot open file /nonexistent: No such file or directory"),
        (["--dial", "x", "--push0", "-F", "/tmp"], "Read from /tmp failed: Is a directory"),
        (["--pull0", "--format=json"], "Invalid format specified."),
    ])
    func firstFault(words: [String], message: String) {
        #expect(Self.failure(words) == message)
    }

    @Test("the checks after scanning, in the C tool's order and words (C: same text)", arguments: [
        (["--pull0"], "No address specified."),
        (["-D=", "--pull0"], "No address specified."),
        (["--dial", "x"], "No protocol specified."),
        (["--dial", "x", "-D", "--pull0"], "No protocol specified."),
        (["--dial", "x", "--data", "-x", "--pull0"], "Protocol does not support --file or --data."),
        (["--sur", "--dial", "x"], "Protocol requires either --file or --data."),
        (["--dial", "x", "--push0", "--data", "a", "--format", "raw"], "Protocol does not support --format options."),
        (["--dial", "x", "--pull0", "--subscribe", "a"], "Protocol does not support --subscribe."),
        (["--dial", "x", "--pull0", "-i", "1"], "Protocol does not support --interval."),
        (["--dial", "x", "--pair1", "-i", "1"], "Option --interval requires either --file or --data."),
        (["--dial", "x", "--pair1", "--compat"], "Protocol does not support --compat."),
        (["--dial", "x", "--pair", "--compat", "--async"], "Options --async and --compat are incompatible."),
        (["--dial", "x", "--pair", "--compat", "-C", "2"], "Options --count and --compat are incompatible."),
    ])
    func crossChecks(words: [String], message: String) {
        #expect(Self.failure(words) == message)
    }

    /// An improvement: the C tool 1.5.2 answers "No protocol specified." to every `--pair`.
    @Test("--pair is pair1, or pair0 with --compat; sub subscribes to everything by default")
    func resolvedProtocols() throws {
        #expect(try LegacySettings.parse(["--pair", "--dial", "x"]).socketProtocol == .pair1)
        let compat = try LegacySettings.parse(["--pair", "--compat", "--dial", "x"])
        #expect(compat.socketProtocol == .pair0 && compat.async)
        #expect(try LegacySettings.parse(["--sub", "--dial", "x"]).topics == [""])
        #expect(try LegacySettings.parse(["--sub", "--dial", "x", "--subs", "a", "--subscribe", "b"]).topics == ["a", "b"])
    }

    @Test("address options build URLs the C way")
    func addresses() throws {
        let settings = try LegacySettings.parse(["--pull0", "-l", "1", "-X", "tmp/s", "--bind", "inproc://a", "--connect-ipc", "/abs"])
        #expect(settings.addresses.map(\.url) == ["tcp://127.0.0.1:1", "ipc:///tmp/s", "inproc://a", "ipc:////abs"])
        #expect(settings.addresses.map { $0.mode == .dial } == [true, false, false, true])
    }

    @Test("a file is read whole")
    func loadFile() throws {
        var template = Array("/tmp/nngcat-unit-load-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        try #require(descriptor >= 0)
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        let body = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(body.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } == body.count)
        close(descriptor)
        #expect(try LegacySettings.load(path) == body)
        #expect(try LegacySettings.parse(["--push0", "--dial", "x", "--file", path]).data == body)
    }
}
