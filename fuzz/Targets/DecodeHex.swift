// `--input hex` (and the REPL's .hex): plain digit pairs or the quoted
// `"\xHH"` form. Property: a decoded record never has more bytes than the
// record, and plain hex re-encoded by `--format hex` decodes to the same bytes.

@_cdecl("nngcat_fuzz_DecodeHex")
func fuzzDecodeHex(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let record = fuzzInput(data, size)
    guard let decoded = try? InputFormat.hex.decode(record) else { return 0 }
    if decoded.count > record.count { fuzzFail("hex decoded to more bytes than its record", input: Array(record), detail: decoded) }
    var printed = OutputBuffer()
    decoded.withUnsafeBytes { MessageEncoder.encode($0, as: .hex, into: &printed) }
    var line = printed.bytes
    line.removeLast()
    let again = try? line.withUnsafeBytes { try InputFormat.hex.decode($0) }
    if again != decoded { fuzzFail("hex: decode(encode(decode(x))) != decode(x)", input: Array(record), detail: line) }
    return 0
}
