import Testing
@testable import NNGCatCLI

@Suite("base64")
struct Base64Tests {
    static func encoded(_ text: String) -> String {
        var out = OutputBuffer()
        bytes(text).withUnsafeBytes { Base64.encode($0, into: &out) }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    @Test("the test vectors of RFC 4648, both ways", arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ])
    func vectors(plain: String, coded: String) throws {
        #expect(Self.encoded(plain) == coded)
        #expect(try Base64.decode(bytes(coded)) == bytes(plain))
    }

    @Test("the whole alphabet, + and / included")
    func alphabet() throws {
        #expect(try Base64.decode(bytes("+/+/")) == [0xfb, 0xff, 0xbf])
        var out = OutputBuffer()
        let body: [UInt8] = [0xfb, 0xff, 0xbf]
        body.withUnsafeBytes { Base64.encode($0, into: &out) }
        #expect(out.bytes == bytes("+/+/"))
    }

    @Test("padding may be left out", arguments: [("Zg", "f"), ("Zm8", "fo"), ("Zm9vYg", "foob")])
    func unpadded(coded: String, plain: String) throws {
        #expect(try Base64.decode(bytes(coded)) == bytes(plain))
    }

    @Test("refusals", arguments: [
        ("Z", "invalid base64: wrong length"),
        ("Zg=", "invalid base64: wrong length"),
        ("Zm9v=", "invalid base64: wrong length"),
        ("Zg===", "invalid base64: wrong length"),
        ("=", "invalid base64: wrong length"),
        ("====", "invalid base64: wrong length"),
        ("Zm9v====", "invalid base64: wrong length"),
        ("Zg==Zg==", "invalid base64: data after padding at offset 4"),
        ("Zm 9v", "invalid base64 character at offset 2"),
        ("Zm9v\n", "invalid base64 character at offset 4"),
        ("Zm-_", "invalid base64 character at offset 2"),   // the URL-safe alphabet is not accepted
        ("Zm9\u{e9}", "invalid base64 character at offset 3"),
    ])
    func refused(coded: String, message: String) {
        #expect(throws: DecodeError(message)) { try Base64.decode(bytes(coded)) }
    }
}
