import NNGCore

/// `listen`'s printing path for everything but `--exec`: messages are encoded
/// in the receive completion (`ListenEncoder` in an `EncodingReceiver`), and
/// this thread only writes the chunks it is handed: 256 KiB at a time under a
/// stream (up to 1 MiB after this thread was late), or whatever is buffered
/// once the stream has been quiet for `ListenMode.quietBeforeFlush`.
enum StreamPrinter {
    static let chunkSize = 256 * 1024

    static func run(_ settings: ListenSettings, socket: Socket, reporter: LiveReporter) throws(CLIError) {
        let encoder = ListenEncoder(settings, reporter: reporter, handOverSize: chunkSize)
        let suffix = encoder.suffixAfterHandOver
        let receiver: EncodingReceiver
        do throws(NNGError) {
            receiver = try EncodingReceiver(socket: socket, chunkSize: chunkSize, limit: settings.count,
                                            idleTimeout: Timeout(settings.socket.receiveTimeout), state: encoder) { encoder, chunk, message, sequence in
                encoder.encode(message, sequence: sequence, into: &chunk)
            }
        } catch {
            throw CLIError(error)
        }
        defer { receiver.close() }
        receiver.start()
        while true {
            let next: EncodingReceiver.Output?
            do throws(NNGError) { next = try receiver.nextOutput(quiet: ListenMode.quietBeforeFlush) } catch {
                throw ReceiveEnd.outcome(error, received: receiver.receivedCount, settings: settings)
            }
            guard var output = next else { return }
            do throws(OutputWriter.Failure) {
                try output.bytes.withBytes { (bytes) throws(OutputWriter.Failure) in try OutputWriter.writeAll(bytes, to: 1) }
                if let message = output.message.take() {
                    try message.withUnsafeBytes { (body) throws(OutputWriter.Failure) in try OutputWriter.writeAll(body, to: 1) }
                    if let suffix { try [suffix].withBytes { (byte) throws(OutputWriter.Failure) in try OutputWriter.writeAll(byte, to: 1) } }
                }
            } catch {
                throw ListenMode.writeError(error)
            }
            receiver.recycle(output.bytes)
        }
    }
}
