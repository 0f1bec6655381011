import Testing
@testable import NNGCatCLI

/// `--input hex` and `--input quoted`: what they accept and how they refuse.
@Suite("input formats")
struct InputFormatTests {
    @Test("hex: digit pairs in either case, blanks between pairs, or the quoted form", arguments: [
        ("48690a", [0x48, 0x69, 0x0a]),
        ("48 69\t0A\r", [0x48, 0x69, 0x0a]),
        ("  ", []),
        ("", []),
        ("ffFF00", [0xff, 0xff, 0x00]),
        ("\"\\x48\\x69\"", [0x48, 0x69]),
        ("\"Hi\\n\"", [0x48, 0x69, 0x0a]),
    ] as [(String, [UInt8])])
    func hexAccepted(text: String, expected: [UInt8]) throws {
        #expect(try decode(bytes(text), as: .hex) == expected)
    }

    @Test("hex refusals name the offset", arguments: [
        ("4 8", "invalid hex: odd digit before offset 1"),
        ("486", "invalid hex: odd number of digits"),
        ("zz", "invalid hex character 'z' at offset 0"),
        ("0x48", "invalid hex character 'x' at offset 1"),
        ("\"\\x4\"", "invalid quoted string: \\x needs two hex digits at offset 1"),
    ])
    func hexRefused(text: String, message: String) {
        #expect(decodeFailure(bytes(text), as: .hex) == message)
    }

    /// The offending byte is shown the way `--format hex` and `quoted` show
    /// bytes, with two digits.
    @Test("an unprintable byte in an error message has two hex digits")
    func unprintableByteInMessage() {
        #expect(decodeFailure([0x34, 0x01], as: .hex) == "invalid hex character '\\x01' at offset 1")
    }

    @Test("quoted: C escapes, octal up to three digits, \\x with exactly two digits", arguments: [
        (#""""#, []),
        (#""plain text""#, Array("plain text".utf8)),
        (#""\n\r\t\a\b\f\v""#, [0x0a, 0x0d, 0x09, 0x07, 0x08, 0x0c, 0x0b]),
        (#""\"\\\'\?""#, Array("\"\\'?".utf8)),
        (#""\0\7\101\1012\377""#, [0, 7, 0x41, 0x41, 0x32, 0xff]),
        (#""\x41\x4142\xfF""#, [0x41, 0x41, 0x34, 0x32, 0xff]),
        ("\"\u{e9}\"", [0xc3, 0xa9]),
    ] as [(String, [UInt8])])
    func quotedAccepted(text: String, expected: [UInt8]) throws {
        #expect(try decode(bytes(text), as: .quoted) == expected)
    }

    @Test("quoted refusals name the fault and its offset", arguments: [
        ("abc", "invalid quoted string: must start and end with '\"'"),
        ("\"", "invalid quoted string: must start and end with '\"'"),
        ("\"abc", "invalid quoted string: must start and end with '\"'"),
        ("", "invalid quoted string: must start and end with '\"'"),
        (#""a"b""#, "invalid quoted string: unescaped '\"' at offset 2"),
        (#""a\""#, "invalid quoted string: trailing backslash"),
        (#""\q""#, "invalid quoted string: unknown escape '\\q' at offset 1"),
        (#""ab\x4""#, "invalid quoted string: \\x needs two hex digits at offset 3"),
        (#""\xZZ""#, "invalid quoted string: \\x needs two hex digits at offset 1"),
        (#""\400""#, "invalid quoted string: octal escape out of range"),
    ])
    func quotedRefused(text: String, message: String) {
        #expect(decodeFailure(bytes(text), as: .quoted) == message)
    }

    @Test("raw takes the record as it is")
    func raw() throws {
        let everything = Array(UInt8.min...UInt8.max)
        #expect(try decode(everything, as: .raw) == everything)
    }
}
