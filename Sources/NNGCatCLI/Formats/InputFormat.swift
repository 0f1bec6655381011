/// How `send` decodes each input record into a message body. Each one reads
/// back exactly what the output format of the same name prints.
enum InputFormat: String, CaseIterable, Sendable {
    case raw, hex, base64, quoted, json

    func decode(_ record: UnsafeRawBufferPointer) throws(DecodeError) -> [UInt8] {
        switch self {
        case .raw: return Array(record)
        case .hex: return try RecordDecoders.hex(record)
        case .base64: return try Base64.decode(record)
        case .quoted: return try RecordDecoders.quoted(record)
        case .json: return try JSONEncoding.decodeMessage(record)
        }
    }
}
