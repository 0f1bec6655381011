// `--input quoted`: a C string literal. Property: what decodes, re-encoded by
// `--format quoted`, decodes to the same bytes.

@_cdecl("nngcat_fuzz_DecodeQuoted")
func fuzzDecodeQuoted(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let record = fuzzInput(data, size)
    guard let decoded = try? InputFormat.quoted.decode(record) else { return 0 }
    if decoded.count > record.count { fuzzFail("quoted decoded to more bytes than its record", input: Array(record), detail: decoded) }
    var printed = OutputBuffer()
    decoded.withUnsafeBytes { MessageEncoder.encode($0, as: .quoted, into: &printed) }
    var line = printed.bytes
    line.removeLast()
    let again = try? line.withUnsafeBytes { try InputFormat.quoted.decode($0) }
    if again != decoded { fuzzFail("quoted: decode(encode(decode(x))) != decode(x)", input: Array(record), detail: line) }
    return 0
}
