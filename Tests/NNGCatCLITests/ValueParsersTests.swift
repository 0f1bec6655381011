import Testing
import NNGCore
@testable import NNGCatCLI

/// The duration, size, count, protocol and URL values of the subcommands.
@Suite("value parsers")
struct ValueParsersTests {
    static func durationFailure(_ text: String) -> String? {
        do {
            _ = try ValueParsers.duration(text, option: "--interval")
            return nil
        } catch {
            return error.message
        }
    }

    static func sizeFailure(_ text: String) -> String? {
        do {
            _ = try ValueParsers.size(text, option: "-Z")
            return nil
        } catch {
            return error.message
        }
    }

    @Test("durations: seconds by default, or ms, us, s, m, h", arguments: [
        ("0", Duration.zero),
        ("1", .seconds(1)),
        ("0.5", .milliseconds(500)),
        (".25", .milliseconds(250)),
        ("1e3", .seconds(1000)),
        ("250ms", .milliseconds(250)),
        ("1.5ms", .microseconds(1500)),
        ("100us", .microseconds(100)),
        ("0.5us", .nanoseconds(500)),
        ("2s", .seconds(2)),
        ("1m", .seconds(60)),
        ("1.5m", .seconds(90)),
        ("2h", .seconds(7200)),
        ("0ms", .zero),
        ("0.0000000004", .zero),     // rounded to the nanosecond
        ("0.0000000006", .nanoseconds(1)),
        ("31535999.5", .milliseconds(31_535_999_500)),
        ("8759h", .seconds(8759 * 3600)),
    ])
    func durations(text: String, expected: Duration) throws {
        #expect(try ValueParsers.duration(text, option: "--interval") == expected)
    }

    @Test("malformed durations are refused with examples", arguments: [
        "", "-1", "+1", "-0.5s", "abc", "1x", "1 s", "1S", "1MS", "s", "ms", "1d", "1ns", "nan", "inf", "infs", "1,5", "1sms",
    ])
    func malformedDurations(text: String) {
        #expect(Self.durationFailure(text) == "invalid duration '\(text)' for --interval (examples: 1, 0.5, 250ms, 2s, 1m)")
    }

    @Test("durations of a year or more are too long", arguments: ["31536000", "525600m", "8760h", "1e300"])
    func tooLong(text: String) {
        #expect(Self.durationFailure(text) == "duration '\(text)' for --interval is too long")
    }

    /// Swift's `Double(String)` also reads C's hexadecimal floats.
    @Test("hexadecimal numbers are not durations", arguments: ["0x10", "0x1p4s"])
    func hexDurations(text: String) {
        #expect(Self.durationFailure(text) != nil)
    }

    @Test("sizes: bytes, or k, m, g as powers of 1024, any case, with an optional b", arguments: [
        ("0", 0), ("512", 512), ("007", 7), ("512b", 512), ("512B", 512),
        ("64k", 65536), ("64K", 65536), ("64kb", 65536), ("64KB", 65536), ("1m", 1 << 20), ("1MB", 1 << 20),
        ("2g", 2 << 30), ("2Gb", 2 << 30),
        ("9223372036854775807", Int.max), ("8589934591g", 8_589_934_591 << 30),
    ])
    func sizes(text: String, expected: Int) throws {
        #expect(try ValueParsers.size(text, option: "-Z") == expected)
    }

    @Test("malformed sizes are refused with examples", arguments: [
        "", "b", "k", "kb", "-1", "+1", "1.5k", " 1", "1 k", "1x", "1t", "1bk", "1kk", "0x10", "١٢",
    ])
    func malformedSizes(text: String) {
        #expect(Self.sizeFailure(text) == "invalid size '\(text)' for -Z (examples: 0, 512, 64k, 1m)")
    }

    @Test("sizes whose bytes overflow an Int are too large", arguments: ["8589934592g", "9007199254740992k"])
    func tooLarge(text: String) {
        #expect(Self.sizeFailure(text) == "size '\(text)' for -Z is too large")
    }

    @Test("a number of digits beyond Int is too large, not malformed")
    func hugeDigits() {
        #expect(Self.sizeFailure("9223372036854775808") == "size '9223372036854775808' for -Z is too large")
    }

    @Test("whole numbers, with the minimum in the message", arguments: [
        ("0", 0, nil), ("42", 0, nil), ("007", 1, nil),
        ("", 0, "invalid number '' for -C: expected a whole number (0 or more)"),
        ("-1", 0, "invalid number '-1' for -C: expected a whole number (0 or more)"),
        ("1.0", 1, "invalid number '1.0' for -C: expected a whole number from 1"),
        ("99999999999999999999", 0, "invalid number '99999999999999999999' for -C: expected a whole number (0 or more)"),
        ("0", 1, "-C must be at least 1, not 0"),
    ] as [(String, Int, String?)])
    func integers(text: String, minimum: Int, message: String?) {
        do {
            let value = try ValueParsers.integer(text, option: "-C", minimum: minimum)
            #expect(message == nil)
            #expect(value == Int(text))
        } catch {
            #expect(error.message == message)
        }
    }

    @Test("protocol names with and without their version", arguments: [
        ("push", SocketProtocol.push0), ("push0", .push0), ("sub", .sub0), ("pair", .pair1), ("pair0", .pair0),
        ("pair1", .pair1), ("surveyor", .surveyor0), ("respondent0", .respondent0), ("bus", .bus0),
    ] as [(String, SocketProtocol)])
    func protocols(name: String, expected: SocketProtocol) {
        #expect(ValueParsers.socketProtocol(name) == expected)
    }

    @Test("unknown protocol names", arguments: ["", "0", "pair2", "push1", "PUSH", "pus", "push00"])
    func unknownProtocols(name: String) {
        #expect(ValueParsers.socketProtocol(name) == nil)
    }

    @Test("every name the -p option advertises is understood")
    func advertisedNames() {
        for name in ValueParsers.protocolNames {
            #expect(ValueParsers.socketProtocol(name) != nil, "\(name)")
        }
    }

    @Test("URLs: a known scheme and an address", arguments: [
        ("tcp://127.0.0.1:5555", nil),
        ("ipc:///tmp/x", nil),
        ("inproc://a", nil),
        ("tcp:/x", "invalid URL 'tcp:/x' for --dial: expected SCHEME://ADDRESS, e.g. tcp://127.0.0.1:5555"),
        ("foo://x", "unknown URL scheme 'foo' in 'foo://x' (known: tcp, ipc, inproc, ws, wss, tls+tcp)"),
        ("tcp://", "invalid URL 'tcp://' for --dial: no address after '://'"),
    ] as [(String, String?)])
    func urls(text: String, message: String?) {
        do {
            #expect(try ValueParsers.url(text, option: "--dial") == text)
            #expect(message == nil)
        } catch {
            #expect(error.message == message)
        }
    }
}
