import Glibc

/// The `--format json` records and their `--input json` reading. Hand-written:
/// one object per line, a handful of fields, and no Foundation at start-up.
enum JSONEncoding {
    /// `{"data":"…","seq":1,"time":"2026-11-22T04:31:05.123Z","size":5,"peer":"127.0.0.1:4000"}`,
    /// with `base64` in place of `data` when the body is not valid UTF-8.
    static func appendMessage(_ body: UnsafeRawBufferPointer, metadata: MessageMetadata?, into out: inout OutputBuffer) {
        if isValidUTF8(body) {
            out.append("{\"data\":")
            appendString(body, into: &out)
        } else {
            out.append("{\"base64\":\"")
            Base64.encode(body, into: &out)
            out.append(UInt8(ascii: "\""))
        }
        if let metadata {
            out.append(",\"seq\":")
            out.appendDecimal(metadata.sequence)
            out.append(",\"time\":\"")
            appendTimestamp(into: &out)
            out.append("\",\"size\":")
            out.appendDecimal(body.count)
            if var peer = metadata.peer {
                out.append(",\"peer\":")
                // In place: `utf8CString` would copy the address to the heap for every message.
                peer.withUTF8 { appendString(UnsafeRawBufferPointer($0), into: &out) }
            }
        }
        out.append(UInt8(ascii: "}"))
    }

    static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// A JSON string literal of valid UTF-8 `bytes`, escaping what JSON requires.
    static func appendString(_ bytes: UnsafeRawBufferPointer, into out: inout OutputBuffer) {
        out.append(UInt8(ascii: "\""))
        for byte in bytes { appendEscaped(byte, into: &out) }
        out.append(UInt8(ascii: "\""))
    }

    /// One byte of a JSON string, escaped as JSON requires.
    @inline(__always) static func appendEscaped(_ byte: UInt8, into out: inout OutputBuffer) {
        switch byte {
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(byte)
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(byte)
        case 0x0a: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
        case 0x0d: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
        case 0..<0x20, 0x7f:
            out.append("\\u00"); out.appendHex(byte)
        default: out.append(byte)
        }
    }

    /// A JSON string of any bytes (`{{json}}`): what is not UTF-8 becomes
    /// U+FFFD, one per maximal invalid subsequence, as Unicode recommends.
    static func appendLossyString(_ bytes: UnsafeRawBufferPointer, into out: inout OutputBuffer) {
        if isValidUTF8(bytes) {
            appendString(bytes, into: &out)
            return
        }
        out.append(UInt8(ascii: "\""))
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar.isASCII {
                    appendEscaped(UInt8(scalar.value), into: &out)
                } else {
                    UTF8.encode(scalar) { out.append($0) }
                }
            case .error: UTF8.encode("\u{FFFD}") { out.append($0) }
            case .emptyInput: break decoding
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// RFC 3339 UTC with milliseconds.
    static func appendTimestamp(into out: inout OutputBuffer) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        appendTimestamp(now, into: &out)
    }

    /// `now` in RFC 3339 UTC with milliseconds (also `{{time}}`).
    static func appendTimestamp(_ now: timespec, into out: inout OutputBuffer) {
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) {
            out.append(UInt8(ascii: "0") + UInt8(value / 10)); out.append(UInt8(ascii: "0") + UInt8(value % 10))
        }
        out.appendDecimal(Int(parts.tm_year) + 1900)
        out.append(UInt8(ascii: "-")); two(parts.tm_mon + 1)
        out.append(UInt8(ascii: "-")); two(parts.tm_mday)
        out.append(UInt8(ascii: "T")); two(parts.tm_hour)
        out.append(UInt8(ascii: ":")); two(parts.tm_min)
        out.append(UInt8(ascii: ":")); two(parts.tm_sec)
        let millis = Int(now.tv_nsec / 1_000_000)
        out.append(UInt8(ascii: "."))
        out.append(UInt8(ascii: "0") + UInt8(millis / 100))
        out.append(UInt8(ascii: "0") + UInt8(millis / 10 % 10))
        out.append(UInt8(ascii: "0") + UInt8(millis % 10))
        out.append(UInt8(ascii: "Z"))
    }

    /// Reads the body back from one `--format json` record: the `data` or
    /// `base64` field; every other field is ignored.
    static func decodeMessage(_ record: some Collection<UInt8>) throws(DecodeError) -> [UInt8] {
        var parser = JSONRecordParser(Array(record))
        return try parser.parseBody()
    }
}
