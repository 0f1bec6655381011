import NNGCore

/// Encodes a received message for stdout inside the receive completion
/// (`EncodingReceiver`'s sink), for every output that needs nothing but the
/// message: the formats and output templates. It also counts the message for
/// `--stats` and `--check-seq`. Runs on NNG's threads, one message at a time
/// under the receiver's lock: nothing here blocks or writes.
struct ListenEncoder: Sendable {
    let format: OutputFormat
    let separator: UInt8
    var printer: TemplatePrinter?
    let traffic: TrafficCounter?
    let sequences: SeqChecker?
    /// raw and line bodies this large go to stdout from the message itself, not through a chunk.
    let handOverSize: Int
    private var peers = PeerAddressCache()

    init(_ settings: ListenSettings, reporter: LiveReporter, handOverSize: Int) {
        format = settings.socket.format
        separator = settings.socket.separator
        printer = settings.socket.outputTemplate.map { TemplatePrinter(template: $0, settings: settings.socket) }
        traffic = reporter.isActive ? reporter.traffic : nil
        sequences = reporter.sequences
        self.handOverSize = handOverSize
    }

    /// What follows a handed-over body on stdout.
    var suffixAfterHandOver: UInt8? { format == .line ? separator : nil }

    mutating func encode(_ message: borrowing Message, sequence: Int, into chunk: inout [UInt8]) -> EncodingReceiver.Disposition {
        traffic?.add(bytes: message.count)
        if let sequences { message.withUnsafeBytes { sequences.observe($0, pipe: message.pipe) } }
        if printer == nil && (format == .raw || format == .line) && message.count >= handOverSize { return .handOver }
        var out = OutputBuffer(taking: &chunk)
        if printer != nil {
            printer!.print(message, sequence: sequence, into: &out)
        } else if format == .json {
            let metadata = MessageMetadata(sequence: sequence, peer: peers.address(of: message.pipe))
            message.withUnsafeBytes { body in
                MessageEncoder.encode(body, as: format, into: &out, separator: separator, metadata: metadata)
            }
        } else {
            message.withUnsafeBytes { body in MessageEncoder.encode(body, as: format, into: &out, separator: separator) }
        }
        out.move(into: &chunk)
        return .appended
    }
}
