import NNGCore

/// What `--format json` adds beyond the body.
struct MessageMetadata {
    var sequence: Int
    var peer: String?
    init(sequence: Int, peer: String? = nil) {
        self.sequence = sequence
        self.peer = peer
    }
}

enum MessageEncoder {
    /// C's isprint() in the C locale: the bytes the legacy tool prints as themselves.
    @inline(__always) static func isPrintable(_ byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x7f }

    /// Appends `body` to `out` in `format`. `separator` ends a `line` or
    /// subcommand `ascii` record; `legacy` selects the C tool's exact bytes.
    static func encode(_ body: UnsafeRawBufferPointer, as format: OutputFormat, into out: inout OutputBuffer,
                              separator: UInt8 = 0x0a, legacy: Bool = false, metadata: MessageMetadata? = nil) {
        switch format {
        case .no:
            return
        case .line:
            out.append(body)
            out.append(separator)
        case .raw:
            out.append(body)
        case .ascii:
            for byte in body { out.append(isPrintable(byte) ? byte : UInt8(ascii: ".")) }
            if !legacy { out.append(separator) }
        case .quoted:
            appendQuoted(body, into: &out)
            out.append(0x0a)
        case .hex:
            appendHexString(body, into: &out)
            out.append(0x0a)
        case .msgpack:
            let count = body.count
            if count < 256 {
                out.append(0xc4); out.append(UInt8(count))
            } else if count < 65536 {
                out.append(0xc5); out.append(UInt8(count >> 8)); out.append(UInt8(count & 0xff))
            } else {
                out.append(0xc6)
                out.append(UInt8((count >> 24) & 0xff)); out.append(UInt8((count >> 16) & 0xff))
                out.append(UInt8((count >> 8) & 0xff)); out.append(UInt8(count & 0xff))
            }
            out.append(body)
        case .json:
            JSONEncoding.appendMessage(body, metadata: metadata, into: &out)
            out.append(separator)
        }
    }

    /// A C string literal of `body`: `"a\"b\n\x01"` (`--format quoted` and `{{quoted}}`).
    @inline(__always) static func appendQuoted(_ body: UnsafeRawBufferPointer, into out: inout OutputBuffer) {
        out.append(UInt8(ascii: "\""))
        for byte in body {
            switch byte {
            case 0x0a: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0d: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(byte)
            default:
                if isPrintable(byte) {
                    out.append(byte)
                } else {
                    out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "x")); out.appendHex(byte)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Every byte as `\xHH` inside quotes (`--format hex` and `{{hex}}`).
    @inline(__always) static func appendHexString(_ body: UnsafeRawBufferPointer, into out: inout OutputBuffer) {
        out.append(UInt8(ascii: "\""))
        for byte in body {
            out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "x")); out.appendHex(byte)
        }
        out.append(UInt8(ascii: "\""))
    }
}
