import NNGCore

/// How `proxy --tap` prints one forwarded message: listen's formats, marked
/// with the side it arrived on.
///
/// - json: listen's record plus `"from":"in"` or `"from":"out"`, so that
///   `send --input json` replays a tap (it reads `data`/`base64` only).
/// - msgpack: a msgpack string `"in"` or `"out"`, then listen's bin object.
/// - every other format: `in: ` or `out: `, then the message as listen prints it.
/// - no: nothing (the proxy still counts).
enum TapRecordEncoder {
    static func encode(_ body: UnsafeRawBufferPointer, from side: ProxySide, as format: OutputFormat,
                       into out: inout OutputBuffer, separator: UInt8, metadata: MessageMetadata?) {
        switch format {
        case .no:
            return
        case .json:
            MessageEncoder.encode(body, as: .json, into: &out, separator: separator, metadata: metadata)
            out.removeLast()  // the separator
            out.removeLast()  // the closing brace
            out.append(side == .in ? ",\"from\":\"in\"}" : ",\"from\":\"out\"}")
            out.append(separator)
        case .msgpack:
            // fixstr: 0xa0 | length.
            let name = side.label
            out.append(0xa0 | UInt8(name.utf8.count))
            out.append(name)
            MessageEncoder.encode(body, as: .msgpack, into: &out)
        default:
            out.append(side == .in ? "in: " : "out: ")
            MessageEncoder.encode(body, as: format, into: &out, separator: separator)
        }
    }
}
