// `--input base64` and the JSON `base64` field. Property: what decodes,
// re-encoded, decodes to the same bytes (non-canonical spellings such as
// missing padding or non-zero trailing bits map to the canonical one).

@_cdecl("nngcat_fuzz_DecodeBase64")
func fuzzDecodeBase64(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let record = fuzzInput(data, size)
    guard let decoded = try? InputFormat.base64.decode(record) else { return 0 }
    if decoded.count > record.count * 3 / 4 + 2 { fuzzFail("base64 decoded to too many bytes", input: Array(record), detail: decoded) }
    var printed = OutputBuffer()
    decoded.withUnsafeBytes { Base64.encode($0, into: &printed) }
    let again = try? Base64.decode(printed.bytes)
    if again != decoded { fuzzFail("base64: decode(encode(decode(x))) != decode(x)", input: Array(record), detail: printed.bytes) }
    return 0
}
