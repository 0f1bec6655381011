import Testing
@testable import NNGCatCLI

/// Every format that claims to read back what it prints, with every byte
/// value, alone, repeated, and next to the bytes an escape could swallow.
@Suite("format round trips")
struct FormatRoundTripTests {
    /// An output format, the input format that reads it, and whether the
    /// printed record ends with a separator the record reader would strip.
    struct Pair: CustomTestStringConvertible, Sendable {
        let output: OutputFormat
        let input: InputFormat
        let separated: Bool
        var testDescription: String { "--format \(output.rawValue) → --input \(input.rawValue)" }
    }

    static let pairs = [
        Pair(output: .hex, input: .hex, separated: true),
        Pair(output: .quoted, input: .quoted, separated: true),
        Pair(output: .quoted, input: .hex, separated: true),   // --input hex also takes the quoted form
        Pair(output: .json, input: .json, separated: true),
        Pair(output: .raw, input: .raw, separated: false),
    ]

    static func roundTrip(_ body: [UInt8], _ pair: Pair) throws(DecodeError) -> [UInt8] {
        var printed = render(body, as: pair.output)
        if pair.separated {
            #expect(printed.last == 0x0a)
            printed.removeLast()
            #expect(!printed.contains(0x0a), "a record must not contain the separator")
        }
        return try decode(printed, as: pair.input)
    }

    @Test("every single byte, a run of it, and it between a hex digit and a letter", arguments: pairs)
    func everyByte(pair: Pair) throws {
        for value in UInt8.min...UInt8.max {
            for body in [[value], [value, value, value], [UInt8(ascii: "7"), value, UInt8(ascii: "a"), UInt8(ascii: "F")]] {
                #expect(try Self.roundTrip(body, pair) == body, "byte \(value)")
            }
        }
    }

    @Test("every pair of bytes (all UTF-8 lead and continuation combinations)", arguments: pairs)
    func everyPair(pair: Pair) throws {
        var failures = 0
        for first in UInt8.min...UInt8.max {
            for second in UInt8.min...UInt8.max where failures < 5 {
                let body = [first, second]
                if try Self.roundTrip(body, pair) != body {
                    failures += 1
                    Issue.record("\(body) does not survive \(pair.testDescription)")
                }
            }
        }
    }

    @Test("long, empty and multi-byte bodies", arguments: pairs)
    func bodies(pair: Pair) throws {
        let bodies: [[UInt8]] = [
            [], Array(0...255), Array((0...255).reversed()), bytes("héllo wörld 😀 \"q\" \\ \t"),
            bytes("\u{7f}\u{80}\u{ffff}\u{10ffff}"), [0xed, 0xa0, 0x80], [0xc0, 0x80], [0xf4, 0x90, 0x80, 0x80],
            (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 131) },
        ]
        for body in bodies {
            #expect(try Self.roundTrip(body, pair) == body)
        }
    }

    @Test("base64, the encoding --format json falls back to and --input base64 reads")
    func base64EveryByte() throws {
        for length in 0...7 {
            for value in UInt8.min...UInt8.max {
                let body = (0..<length).map { value &+ UInt8($0) }
                var out = OutputBuffer()
                body.withUnsafeBytes { Base64.encode($0, into: &out) }
                #expect(out.bytes.count == (length + 2) / 3 * 4)
                #expect(try decode(out.bytes, as: .base64) == body)
            }
        }
    }

    @Test("json falls back to base64 exactly when the body is not valid UTF-8")
    func jsonChoosesField() {
        #expect(render(bytes("é"), as: .json).starts(with: bytes("{\"data\":")))
        for invalid: [UInt8] in [[0xff], [0xc3], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80]] {
            #expect(render(invalid, as: .json).starts(with: bytes("{\"base64\":")), "\(invalid)")
        }
    }

    @Test("every input format except base64 has an output format of the same name")
    func namesMatch() {
        let outputs = Set(OutputFormat.allCases.map(\.rawValue))
        #expect(InputFormat.allCases.map(\.rawValue).filter { !outputs.contains($0) } == ["base64"])
    }
}
