/// Standard base64 (RFC 4648, with padding), written out here to keep
/// Foundation out of the binary's start-up.
enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xff, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    static func encode(_ bytes: UnsafeRawBufferPointer, into out: inout OutputBuffer) {
        var index = 0
        let count = bytes.count
        while index + 3 <= count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out.append(alphabet[Int(value >> 18 & 63)]); out.append(alphabet[Int(value >> 12 & 63)])
            out.append(alphabet[Int(value >> 6 & 63)]); out.append(alphabet[Int(value & 63)])
            index += 3
        }
        let rest = count - index
        if rest == 1 {
            let value = UInt32(bytes[index]) << 16
            out.append(alphabet[Int(value >> 18 & 63)]); out.append(alphabet[Int(value >> 12 & 63)])
            out.append(UInt8(ascii: "=")); out.append(UInt8(ascii: "="))
        } else if rest == 2 {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out.append(alphabet[Int(value >> 18 & 63)]); out.append(alphabet[Int(value >> 12 & 63)])
            out.append(alphabet[Int(value >> 6 & 63)]); out.append(UInt8(ascii: "="))
        }
    }

    /// Decodes base64 text; padding may be omitted, whitespace is not allowed.
    static func decode(_ text: some Collection<UInt8>) throws(DecodeError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3)
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = 0
        for (offset, byte) in text.enumerated() {
            if byte == UInt8(ascii: "=") {
                padding += 1
                continue
            }
            if padding > 0 { throw DecodeError("invalid base64: data after padding at offset \(offset)") }
            let value = reverse[Int(byte)]
            if value == 0xff { throw DecodeError("invalid base64 character at offset \(offset)") }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        let symbols = text.count - padding
        if symbols % 4 == 1 || padding > 2 || (padding > 0 && (symbols + padding) % 4 != 0) {
            throw DecodeError("invalid base64: wrong length")
        }
        return out
    }
}

/// Why a record could not be decoded; rendered as `stdin line N: <message>`.
struct DecodeError: Error, Equatable, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
