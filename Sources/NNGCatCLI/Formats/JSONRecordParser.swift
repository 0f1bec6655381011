import Glibc

/// A small strict JSON reader for one object whose values are skipped unless wanted.
struct JSONRecordParser {
    /// How deep a record may nest, the record itself being level 1. Skipping
    /// recurses, so without a bound a record of ~10,000 `[` overflowed the
    /// stack (found by fuzz/Targets/DecodeJSON).
    static let maximumDepth = 128

    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseBody() throws(DecodeError) -> [UInt8] {
        skipSpace()
        try expect(UInt8(ascii: "{"))
        var body: [UInt8]?
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                skipSpace()
                let name = try parseString()
                skipSpace()
                try expect(UInt8(ascii: ":"))
                skipSpace()
                let field = String(decoding: name, as: UTF8.self)
                if field == "data" || field == "base64" {
                    if body != nil { throw DecodeError("JSON record has both data and base64") }
                    let text = try parseString()
                    body = field == "data" ? text : try Base64.decode(text)
                } else {
                    try skipValue(depth: 2)
                }
                skipSpace()
                let separator = try next()
                if separator == UInt8(ascii: "}") { break }
                if separator != UInt8(ascii: ",") { throw DecodeError("invalid JSON: expected ',' or '}' at offset \(index - 1)") }
            }
        }
        skipSpace()
        if index != bytes.count { throw DecodeError("invalid JSON: trailing data at offset \(index)") }
        guard let body else { throw DecodeError("JSON record has no data or base64 field") }
        return body
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func next() throws(DecodeError) -> UInt8 {
        guard index < bytes.count else { throw DecodeError("invalid JSON: unexpected end of record") }
        defer { index += 1 }
        return bytes[index]
    }

    private mutating func expect(_ byte: UInt8) throws(DecodeError) {
        let found = try next()
        if found != byte { throw DecodeError("invalid JSON: expected '\(Character(Unicode.Scalar(byte)))' at offset \(index - 1)") }
    }

    private mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d { index += 1 }
    }

    private mutating func parseHex4() throws(DecodeError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = hexValue(try next()) else { throw DecodeError("invalid JSON: bad \\u escape at offset \(index - 1)") }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// A string's UTF-8 bytes, escapes resolved.
    mutating func parseString() throws(DecodeError) -> [UInt8] {
        try expect(UInt8(ascii: "\""))
        var out: [UInt8] = []
        while true {
            let byte = try next()
            switch byte {
            case UInt8(ascii: "\""):
                return out
            case UInt8(ascii: "\\"):
                let escape = try next()
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0c)
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "r"): out.append(0x0d)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try parseHex4()
                    if (0xd800..<0xdc00).contains(scalar) {
                        guard try next() == UInt8(ascii: "\\"), try next() == UInt8(ascii: "u") else {
                            throw DecodeError("invalid JSON: unpaired surrogate at offset \(index)")
                        }
                        let low = try parseHex4()
                        guard (0xdc00..<0xe000).contains(low) else { throw DecodeError("invalid JSON: unpaired surrogate at offset \(index)") }
                        scalar = 0x10000 + ((scalar - 0xd800) << 10) + (low - 0xdc00)
                    } else if (0xdc00..<0xe000).contains(scalar) {
                        throw DecodeError("invalid JSON: unpaired surrogate at offset \(index)")
                    }
                    out.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
                default:
                    throw DecodeError("invalid JSON: bad escape at offset \(index - 1)")
                }
            case 0..<0x20:
                throw DecodeError("invalid JSON: control character in string at offset \(index - 1)")
            default:
                out.append(byte)
            }
        }
    }

    private mutating func skipValue(depth: Int) throws(DecodeError) {
        guard let byte = peek() else { throw DecodeError("invalid JSON: unexpected end of record") }
        switch byte {
        case UInt8(ascii: "\""):
            _ = try parseString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            guard depth <= Self.maximumDepth else {
                throw DecodeError("invalid JSON: nested deeper than \(Self.maximumDepth) levels at offset \(index)")
            }
            index += 1
            skipSpace()
            if peek() == close { index += 1; return }
            while true {
                skipSpace()
                if byte == UInt8(ascii: "{") {
                    _ = try parseString(); skipSpace(); try expect(UInt8(ascii: ":")); skipSpace()
                }
                try skipValue(depth: depth + 1)
                skipSpace()
                let separator = try next()
                if separator == close { return }
                if separator != UInt8(ascii: ",") { throw DecodeError("invalid JSON at offset \(index - 1)") }
            }
        default:
            let start = index
            while let c = peek(), c != UInt8(ascii: ","), c != UInt8(ascii: "}"), c != UInt8(ascii: "]"),
                  c != 0x20, c != 0x09, c != 0x0a, c != 0x0d { index += 1 }
            let word = String(decoding: bytes[start..<index], as: UTF8.self)
            if word == "true" || word == "false" || word == "null" || Self.isJSONNumber(word.utf8) { return }
            throw DecodeError("invalid JSON value '\(word)' at offset \(start)")
        }
    }

    /// RFC 8259's number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    /// Double(String) would also take nan, inf, hex, a leading + or 0, `.5` and `1.`.
    static func isJSONNumber(_ text: String.UTF8View) -> Bool {
        var rest = text[...]
        func digits() -> Int {
            let count = rest.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            rest = rest.dropFirst(count)
            return count
        }
        if rest.first == UInt8(ascii: "-") { rest = rest.dropFirst() }
        if rest.first == UInt8(ascii: "0") {
            rest = rest.dropFirst()
        } else if digits() == 0 {
            return false
        }
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            if digits() == 0 { return false }
        }
        if rest.first == UInt8(ascii: "e") || rest.first == UInt8(ascii: "E") {
            rest = rest.dropFirst()
            if rest.first == UInt8(ascii: "+") || rest.first == UInt8(ascii: "-") { rest = rest.dropFirst() }
            if digits() == 0 { return false }
        }
        return rest.isEmpty
    }
}
