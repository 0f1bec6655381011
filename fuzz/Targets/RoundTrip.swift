// The promise `--input F` makes about `--format F`: every message body,
// printed by MessageEncoder as hex, quoted or json (with and without the
// metadata fields; as base64 through Base64), is one record — no newline
// before its terminator — and decodes back to exactly the body. Any mismatch
// traps. Input: the first byte varies the metadata, the rest is the body.

@_cdecl("nngcat_fuzz_RoundTrip")
func fuzzRoundTrip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = fuzzInput(data, size)
    let selector = input.first ?? 0
    let body = UnsafeRawBufferPointer(rebasing: input.dropFirst())
    let bodyBytes = Array(body)
    let peer: String? = selector & 1 == 0 ? nil : String(decoding: body.prefix(Int(selector >> 1)), as: UTF8.self)
    let cases: [(OutputFormat, InputFormat, MessageMetadata?)] = [
        (.hex, .hex, nil), (.quoted, .quoted, nil), (.json, .json, nil),
        (.json, .json, MessageMetadata(sequence: Int(selector) - 128, peer: peer)),
    ]
    for (output, inputFormat, metadata) in cases {
        var printed = OutputBuffer()
        MessageEncoder.encode(body, as: output, into: &printed, metadata: metadata)
        var record = printed.bytes
        guard record.last == 0x0a else { fuzzFail("\(output) record does not end in a newline", input: bodyBytes, detail: record) }
        record.removeLast()
        if record.contains(0x0a) { fuzzFail("\(output) record contains a newline before its end", input: bodyBytes, detail: record) }
        let result = record.withUnsafeBytes { raw in Result { () throws(DecodeError) in try inputFormat.decode(raw) } }
        let decoded: [UInt8]
        switch result {
        case .success(let bytes): decoded = bytes
        case .failure(let error): fuzzFail("\(output) record refused by --input \(inputFormat): \(error.message)", input: bodyBytes, detail: record)
        }
        if decoded != bodyBytes { fuzzFail("\(output) round trip changed the body", input: bodyBytes, detail: decoded) }
    }
    var printed = OutputBuffer()
    Base64.encode(body, into: &printed)
    if printed.bytes.count != (body.count + 2) / 3 * 4 { fuzzFail("base64 length", input: bodyBytes, detail: printed.bytes) }
    let decoded = try? printed.bytes.withUnsafeBytes { try InputFormat.base64.decode($0) }
    if decoded != bodyBytes { fuzzFail("base64 round trip changed the body", input: bodyBytes, detail: printed.bytes) }
    return 0
}
