// `--input json`: one JSON object per record (JSONRecordParser), decoded on
// a 256 KiB stack so that unbounded recursion shows within -max_len.
// Property: what decodes, re-encoded by `--format json`, decodes to the same bytes.

@_cdecl("nngcat_fuzz_DecodeJSON")
func fuzzDecodeJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let record = Array(fuzzInput(data, size))
    nonisolated(unsafe) var result: [UInt8]?
    onSmallStack { result = try? JSONEncoding.decodeMessage(record) }
    guard let decoded = result else { return 0 }
    var printed = OutputBuffer()
    decoded.withUnsafeBytes { MessageEncoder.encode($0, as: .json, into: &printed, metadata: MessageMetadata(sequence: 1)) }
    var line = printed.bytes
    line.removeLast()
    let again = try? line.withUnsafeBytes { try InputFormat.json.decode($0) }
    if again != decoded { fuzzFail("json: decode(encode(decode(x))) != decode(x)", input: record, detail: line) }
    return 0
}
