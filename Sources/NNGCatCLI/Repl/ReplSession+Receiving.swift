import NNGCore

/// What the socket delivers: messages, and peers coming and going. Both are
/// taken without blocking, when poll says they are there.
extension ReplSession {
    /// Takes every message waiting (the receive descriptor polled readable)
    /// and prints them in one block.
    func drainSocket() {
        guard let socket else { return }
        var output = OutputBuffer()
        for _ in 0..<1024 {
            let next: Message?
            do { next = try socket.receiveIfReady() } catch {
                // req/surveyor report a state error when nothing is outstanding.
                if error.code != .incorrectState && error.code != .timedOut && error.code != .closed {
                    console.error(error.description)
                }
                break
            }
            guard let message = next else { break }
            received += 1
            let metadata = settings.format == .json ? MessageMetadata(sequence: received, peer: message.pipe?.remoteAddress) : nil
            message.withUnsafeBytes { body in
                MessageEncoder.encode(body, as: settings.format, into: &output, separator: settings.separator, metadata: metadata)
            }
            messageArrived(on: socket.socketProtocol)
        }
        console.message(output.bytes)
    }

    /// Reports peers coming and going (interactive, or with --verbose).
    func reportPeerEvents() {
        for event in peers.takeEvents() {
            let address = event.remoteAddress ?? "unknown address"
            console.note(event.kind == .connected ? "peer connected: \(address)" : "peer disconnected: \(address)")
        }
    }
}
