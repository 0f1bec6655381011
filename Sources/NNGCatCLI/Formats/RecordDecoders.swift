/// The decoders of `--input hex` and `--input quoted`.
enum RecordDecoders {
    /// Plain hex digits (`48690a`, whitespace allowed between pairs) or the
    /// quoted escapes `--format hex` prints (`"\x48\x69\x0a"`).
    static func hex(_ record: UnsafeRawBufferPointer) throws(DecodeError) -> [UInt8] {
        if record.first == UInt8(ascii: "\"") { return try quoted(record) }
        var out: [UInt8] = []
        out.reserveCapacity(record.count / 2)
        var high: UInt8?
        for (offset, byte) in record.enumerated() {
            if byte == 0x20 || byte == 0x09 || byte == 0x0d {
                if high != nil { throw DecodeError("invalid hex: odd digit before offset \(offset)") }
                continue
            }
            guard let value = hexValue(byte) else {
                throw DecodeError("invalid hex character '\(printable(byte))' at offset \(offset)")
            }
            if let first = high {
                out.append(first << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        if high != nil { throw DecodeError("invalid hex: odd number of digits") }
        return out
    }

    /// A C string literal as `--format quoted` (and `--format hex`) prints it:
    /// `\n \r \t \" \\ \xHH` escapes, plus `\0`, `\a`, `\b`, `\f`, `\v` and octal.
    static func quoted(_ record: UnsafeRawBufferPointer) throws(DecodeError) -> [UInt8] {
        guard record.count >= 2, record.first == UInt8(ascii: "\""), record.last == UInt8(ascii: "\"") else {
            throw DecodeError("invalid quoted string: must start and end with '\"'")
        }
        var out: [UInt8] = []
        out.reserveCapacity(record.count)
        var index = 1
        let end = record.count - 1
        while index < end {
            let byte = record[index]
            index += 1
            if byte == UInt8(ascii: "\"") { throw DecodeError("invalid quoted string: unescaped '\"' at offset \(index - 1)") }
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                continue
            }
            guard index < end else { throw DecodeError("invalid quoted string: trailing backslash") }
            let escape = record[index]
            index += 1
            switch escape {
            case UInt8(ascii: "n"): out.append(0x0a)
            case UInt8(ascii: "r"): out.append(0x0d)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0c)
            case UInt8(ascii: "v"): out.append(0x0b)
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "?"): out.append(escape)
            case UInt8(ascii: "x"):
                guard index + 2 <= end, let high = hexValue(record[index]), let low = hexValue(record[index + 1]) else {
                    throw DecodeError("invalid quoted string: \\x needs two hex digits at offset \(index - 2)")
                }
                out.append(high << 4 | low)
                index += 2
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(escape - UInt8(ascii: "0"))
                var digits = 1
                while digits < 3, index < end, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(record[index]) {
                    value = value * 8 + Int(record[index] - UInt8(ascii: "0"))
                    index += 1
                    digits += 1
                }
                guard value < 256 else { throw DecodeError("invalid quoted string: octal escape out of range") }
                out.append(UInt8(value))
            default:
                throw DecodeError("invalid quoted string: unknown escape '\\\(printable(escape))' at offset \(index - 2)")
            }
        }
        return out
    }

    static func printable(_ byte: UInt8) -> String {
        MessageEncoder.isPrintable(byte) ? String(Character(Unicode.Scalar(byte))) : "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
    }
}
