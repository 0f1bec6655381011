import Testing
@testable import NNGCatCLI

/// `--format json` records and the reader of `--input json`.
@Suite("json encoding")
struct JSONEncodingTests {
    static func text(_ body: [UInt8], metadata: MessageMetadata? = nil) -> String {
        var out = OutputBuffer()
        body.withUnsafeBytes { JSONEncoding.appendMessage($0, metadata: metadata, into: &out) }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    @Test("strings escape quote, backslash and every control character")
    func escapes() {
        #expect(Self.text(bytes("a\"b\\c\n\r\t")) == #"{"data":"a\"b\\c\n\r\t"}"#)
        #expect(Self.text([0x00, 0x01, 0x08, 0x0c, 0x1f, 0x7f, 0x20]) == #"{"data":"\u0000\u0001\u0008\u000c\u001f\u007f "}"#)
        #expect(Self.text(bytes("/é😀")) == "{\"data\":\"/é😀\"}")
    }

    @Test("a body that is not UTF-8 goes out as base64")
    func base64Field() {
        #expect(Self.text([0xff, 0xfe]) == #"{"base64":"//4="}"#)
        #expect(Self.text([]) == #"{"data":""}"#)
    }

    @Test("metadata: sequence, an RFC 3339 UTC time with milliseconds, size in bytes, peer")
    func metadata() throws {
        let line = Self.text(bytes("é"), metadata: MessageMetadata(sequence: 42, peer: "127.0.0.1:4000 \"x\""))
        let prefix = #"{"data":"é","seq":42,"time":""#
        let suffix = #"","size":2,"peer":"127.0.0.1:4000 \"x\""}"#
        try #require(line.hasPrefix(prefix) && line.hasSuffix(suffix), "\(line)")
        let time = Array(line.utf8.dropFirst(prefix.utf8.count).dropLast(suffix.utf8.count))
        // 2026-11-22T04:31:05.123Z
        let shape = Array("dddd-dd-ddTdd:dd:dd.dddZ".utf8)
        try #require(time.count == shape.count, "\(String(decoding: time, as: UTF8.self))")
        for (byte, expected) in zip(time, shape) {
            if expected == UInt8(ascii: "d") {
                #expect((UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte))
            } else {
                #expect(byte == expected)
            }
        }
        #expect(!Self.text([1], metadata: MessageMetadata(sequence: 1)).contains("peer"))
    }

    @Test("the reader takes data or base64 and skips every other field", arguments: [
        (#"{"data":"x"}"#, "x"),
        (#" { "seq" : 1 , "data" : "x" , "z" : null } "#, "x"),
        (#"{"base64":"eA=="}"#, "x"),
        (#"{"t":true,"f":false,"n":-1.5e3,"o":{"a":[1,{"b":[]}],"c":{}},"s":"\"}","data":"\u00e9\ud83d\ude00\/\b\f"}"#,
         "é😀/\u{8}\u{c}"),
    ] as [(String, String)])
    func accepted(record: String, body: String) throws {
        #expect(try decode(bytes(record), as: .json) == bytes(body))
    }

    @Test("refusals name the fault", arguments: [
        (#"{"x":1}"#, "JSON record has no data or base64 field"),
        (#"{}"#, "JSON record has no data or base64 field"),
        (#"{"data":"a","base64":"YQ=="}"#, "JSON record has both data and base64"),
        (#"{"data":"a""#, "invalid JSON: unexpected end of record"),
        (#"{"data":"a"} x"#, "invalid JSON: trailing data at offset 13"),
        (#"["data"]"#, "invalid JSON: expected '{' at offset 0"),
        (#"{"data":"a";}"#, "invalid JSON: expected ',' or '}' at offset 11"),
        (#"{"data" "a"}"#, "invalid JSON: expected ':' at offset 8"),
        (#"{"data":"\q"}"#, "invalid JSON: bad escape at offset 10"),
        (#"{"data":"\u12G4"}"#, "invalid JSON: bad \\u escape at offset 13"),
        (#"{"data":"\ud800"}"#, "invalid JSON: unpaired surrogate at offset 16"),
        (#"{"data":"\udc00"}"#, "invalid JSON: unpaired surrogate at offset 15"),
        (#"{"data":"\ud800\u0041"}"#, "invalid JSON: unpaired surrogate at offset 21"),
        ("{\"data\":\"a\u{1}\"}", "invalid JSON: control character in string at offset 10"),
        (#"{"base64":"***"}"#, "invalid base64 character at offset 0"),
        (#"{"data":"a","x":tru}"#, "invalid JSON value 'tru' at offset 16"),
        (#"{"data":"a","x":}"#, "invalid JSON value '' at offset 16"),
        (#"{"data":"a","x":[1,]}"#, "invalid JSON value '' at offset 19"),
        (#"{"data":1}"#, "invalid JSON: expected '\"' at offset 8"),
        ("", "invalid JSON: unexpected end of record"),
    ])
    func refused(record: String, message: String) {
        #expect(decodeFailure(bytes(record), as: .json) == message)
    }

    @Test("nesting is bounded at 128 levels, the record being the first")
    func depth() {
        func record(arrays: Int) -> [UInt8] {
            bytes(#"{"x":"# + String(repeating: "[", count: arrays) + String(repeating: "]", count: arrays) + #","data":"ok"}"#)
        }
        #expect(decodeFailure(record(arrays: 127), as: .json) == nil)
        #expect(decodeFailure(record(arrays: 128), as: .json) == "invalid JSON: nested deeper than 128 levels at offset 132")
        #expect(decodeFailure(record(arrays: 100_000), as: .json) == "invalid JSON: nested deeper than 128 levels at offset 132")
    }

    /// The reader calls itself strict, but a skipped value is checked with
    /// Swift's `Double(String)`, which takes spellings JSON does not have.
    @Test("numbers JSON does not allow are refused", arguments: ["nan", "inf", "-infinity", "0x10", "+1", "01", ".5", "1.", "0x1p3"])
    func nonJSONNumbers(word: String) {
        #expect(decodeFailure(bytes(#"{"data":"a","x":"# + word + "}"), as: .json) != nil)
    }
}
