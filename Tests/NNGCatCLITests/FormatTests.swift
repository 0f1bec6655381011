import Testing
@testable import NNGCatCLI

@Suite("formats")
struct FormatTests {
    func encode(_ bytes: [UInt8], _ format: OutputFormat, legacy: Bool = false) -> [UInt8] {
        var out = OutputBuffer()
        bytes.withUnsafeBytes { MessageEncoder.encode($0, as: format, into: &out, legacy: legacy) }
        return out.bytes
    }

    @Test("byte-exact renderings of the legacy formats")
    func legacyFormats() {
        let body: [UInt8] = Array("a\"\\\n\t".utf8) + [0x01, 0xff]
        #expect(encode(body, .quoted) == Array("\"a\\\"\\\\\\n\\t\\x01\\xff\"\n".utf8))
        #expect(encode([0x00, 0x41], .hex) == Array("\"\\x00\\x41\"\n".utf8))
        #expect(encode([0x41, 0x00], .ascii, legacy: true) == Array("A.".utf8))
        #expect(encode([0x41, 0x00], .ascii) == Array("A.\n".utf8))
        #expect(encode([1, 2], .raw) == [1, 2])
        #expect(encode([1, 2], .no) == [])
        #expect(encode([1, 2], .line) == [1, 2, 0x0a])
    }

    @Test("msgpack headers: bin8, bin16, bin32")
    func msgpack() {
        #expect(Array(encode([UInt8](repeating: 7, count: 255), .msgpack).prefix(2)) == [0xc4, 0xff])
        #expect(Array(encode([UInt8](repeating: 7, count: 256), .msgpack).prefix(3)) == [0xc5, 0x01, 0x00])
        #expect(Array(encode([UInt8](repeating: 7, count: 65536), .msgpack).prefix(5)) == [0xc6, 0, 1, 0, 0])
    }

    @Test("every input format reads back what the output format of the same name prints", arguments: [
        (OutputFormat.hex, InputFormat.hex), (.quoted, .quoted), (.json, .json),
    ])
    func roundTrip(output: OutputFormat, input: InputFormat) throws {
        let bodies: [[UInt8]] = [Array(0...255), [], Array("héllo \"x\"\n".utf8), [0xff, 0xfe]]
        for body in bodies {
            var printed = encode(body, output)
            printed.removeLast()  // the record separator
            #expect(try printed.withUnsafeBytes { try input.decode($0) } == body)
        }
    }

    @Test("base64 both ways")
    func base64() throws {
        for length in 0..<10 {
            let body = (0..<length).map { UInt8($0 * 37 & 0xff) }
            var out = OutputBuffer()
            body.withUnsafeBytes { Base64.encode($0, into: &out) }
            #expect(try Base64.decode(out.bytes) == body)
        }
        #expect(throws: DecodeError.self) { try Base64.decode(Array("a*==".utf8)) }
    }

    @Test("bad records are refused with a reason")
    func badRecords() {
        #expect(throws: DecodeError.self) { try Array("zz".utf8).withUnsafeBytes { try InputFormat.hex.decode($0) } }
        #expect(throws: DecodeError.self) { try Array("abc".utf8).withUnsafeBytes { try InputFormat.hex.decode($0) } }
        #expect(throws: DecodeError.self) { try Array("\"\\q\"".utf8).withUnsafeBytes { try InputFormat.quoted.decode($0) } }
        #expect(throws: DecodeError.self) { try Array("{\"x\":1}".utf8).withUnsafeBytes { try InputFormat.json.decode($0) } }
        #expect(throws: DecodeError.self) { try Array("{\"data\":\"a\"".utf8).withUnsafeBytes { try InputFormat.json.decode($0) } }
    }

    @Test("json ignores other fields and decodes escapes")
    func jsonFields() throws {
        let record = Array(#"{"seq":3,"data":"a\u00e9\ud83d\ude00\n","peer":"x","extra":[1,{"y":null}]}"#.utf8)
        #expect(try JSONEncoding.decodeMessage(record) == Array("aé😀\n".utf8))
    }
}
