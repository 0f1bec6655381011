import Glibc

/// The `time` field of a JSON record as `listen --format json` writes it
/// (`"2026-11-22T04:31:05.123Z"`), for `--pace recorded`. Only the record's
/// own top-level `time` counts: strings are skipped whole, so a `"time"` inside
/// a body or a nested object is not mistaken for it.
enum RecordTime {
    /// Nanoseconds since the Unix epoch, or nil when there is no usable field.
    static func nanoseconds(in record: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        var depth = 0
        var expectingKey = false
        let bytes = record
        func skipString() -> Range<Int>? {
            let start = index + 1
            var i = start
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
                if bytes[i] == UInt8(ascii: "\"") { index = i + 1; return start..<i }
                i += 1
            }
            return nil
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                expectingKey = byte == UInt8(ascii: "{") && depth == 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                index += 1
            case UInt8(ascii: ","):
                expectingKey = depth == 1
                index += 1
            case UInt8(ascii: "\""):
                guard let key = skipString() else { return nil }
                guard expectingKey else { continue }
                expectingKey = false
                guard key.count == 4, bytes[key.lowerBound] == UInt8(ascii: "t"), bytes[key.lowerBound + 1] == UInt8(ascii: "i"),
                      bytes[key.lowerBound + 2] == UInt8(ascii: "m"), bytes[key.lowerBound + 3] == UInt8(ascii: "e") else { continue }
                while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == UInt8(ascii: ":") { index += 1 }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), let value = skipString() else { return nil }
                return parse(UnsafeRawBufferPointer(rebasing: bytes[value]))
            default:
                index += 1
            }
        }
        return nil
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    static func parse(_ text: UnsafeRawBufferPointer) -> Int64? {
        var position = 0
        func digits(_ count: Int) -> Int? {
            guard position + count <= text.count else { return nil }
            var value = 0
            for _ in 0..<count {
                let byte = text[position]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
                position += 1
            }
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard position < text.count, characters.utf8.contains(text[position]) else { return false }
            position += 1
            return true
        }
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2), expect("Tt "),
              let hour = digits(2), expect(":"), let minute = digits(2), expect(":"), let second = digits(2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var fraction: Int64 = 0
        if position < text.count, text[position] == UInt8(ascii: ".") {
            position += 1
            var scale: Int64 = 100_000_000
            let start = position
            while position < text.count, text[position] >= 0x30 && text[position] <= 0x39 {
                fraction += Int64(text[position] - 0x30) * scale
                scale /= 10
                position += 1
            }
            if position == start { return nil }
        }
        var offsetSeconds = 0
        if expect("Zz") {
        } else if position < text.count, text[position] == UInt8(ascii: "+") || text[position] == UInt8(ascii: "-") {
            let sign = text[position] == UInt8(ascii: "-") ? -1 : 1
            position += 1
            guard let hours = digits(2), expect(":"), let minutes = digits(2) else { return nil }
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard position == text.count else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = Int64(timegm(&parts)) - Int64(offsetSeconds)
        return seconds * 1_000_000_000 + fraction
    }
}
