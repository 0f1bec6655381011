/// A growable byte buffer that encoders append to and the writer flushes in
/// large blocks. Appending never allocates once the capacity has been reached.
struct OutputBuffer {
    private(set) var bytes: [UInt8] = []

    init(reserving capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// A buffer that appends to `chunk`, which is left empty until
    /// `move(into:)` gives the bytes back: they move, they are not copied.
    init(taking chunk: inout [UInt8]) { swap(&bytes, &chunk) }

    /// Hands the bytes back to the chunk they were taken from.
    mutating func move(into chunk: inout [UInt8]) { swap(&bytes, &chunk) }

    var count: Int { bytes.count }

    @inline(__always) mutating func append(_ byte: UInt8) { bytes.append(byte) }
    @inline(__always) mutating func append(_ buffer: UnsafeRawBufferPointer) { bytes.append(contentsOf: buffer) }
    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }
    mutating func append(contentsOf other: [UInt8]) { bytes.append(contentsOf: other) }

    /// Appends `value` as two lowercase hex digits.
    @inline(__always) mutating func appendHex(_ value: UInt8) {
        bytes.append(hexDigits[Int(value >> 4)])
        bytes.append(hexDigits[Int(value & 0x0f)])
    }

    /// Appends `value` in decimal without making a String (templates render
    /// numbers per message and promise no allocation beyond the message).
    mutating func appendDecimal(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var rest = value.magnitude
        var low = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        var high = bytes.count - 1
        while low < high {
            bytes.swapAt(low, high)
            low += 1
            high -= 1
        }
    }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// Takes back the last byte appended (a record's closing brace, to add a field).
    mutating func removeLast() { bytes.removeLast() }
}

let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
