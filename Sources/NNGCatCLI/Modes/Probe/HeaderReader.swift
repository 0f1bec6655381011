import NNGCore

/// Reads what a freshly connected peer says first, and decides whether it is
/// an SP header. Sends nothing while an SP peer could still be answering: an
/// NNG peer sends its header at once and then waits for ours, and a
/// connection that never sends one is dropped during negotiation, before
/// the peer's socket counts it as a pipe, so no message is ever routed to it.
struct HeaderReader {
    let stream: ByteStream
    let deadline: MonotonicDeadline
    /// How long silence may last before we conclude the peer waits for us to speak first.
    let quietWindow: Duration
    /// Send a nudge after `quietWindow` of silence (dialing); a peer that
    /// dialed in to us speaks first or not at all.
    let nudges: Bool

    /// What an HTTP server answers: it says nothing until asked, and an SP peer
    /// that reads this instead of a header closes the connection without a pipe.
    static let nudge = Array("HEAD / HTTP/1.0\r\n\r\n".utf8)
    /// How many of a non-SP peer's first bytes are shown.
    static let shownBytes = 40

    enum Result {
        case header(number: UInt16, protocol: SocketProtocol?, at: ContinuousClock.Instant)
        case notSP(reason: String, firstBytes: [UInt8])
        case failed(NNGError)
        case timedOut(String)
    }

    func read(timeoutText: String) -> Result {
        var bytes: [UInt8] = []
        var nudged = false
        let quietEnd = MonotonicDeadline.after(quietWindow)!
        while true {
            let phaseEnd = (nudges && !nudged && bytes.isEmpty) ? min(quietEnd, deadline) : deadline
            do throws(NNGError) {
                bytes += try stream.receive(upTo: Self.shownBytes, timeout: .after(phaseEnd.remaining))
            } catch {
                switch error.code {
                case .timedOut:
                    if !deadline.hasPassed && nudges && !nudged && bytes.isEmpty {
                        nudged = true
                        // A peer that already closed fails this send; the next read says so.
                        try? stream.send(Self.nudge, timeout: .after(deadline.remaining))
                        continue
                    }
                    if bytes.isEmpty {
                        return .timedOut(nudged
                            ? "no answer within \(timeoutText): it accepted the connection but sent nothing, not even to an HTTP request"
                            : "no answer within \(timeoutText): it accepted the connection but sent nothing")
                    }
                    return .notSP(reason: "it sent only \(bytes.count) of a header's 8 bytes", firstBytes: bytes)
                case .closed, .connectionShutdown, .connectionReset:
                    if bytes.isEmpty { return .notSP(reason: "it closed the connection without sending anything", firstBytes: []) }
                    return .notSP(reason: "it sent \(bytes.count) bytes and closed the connection", firstBytes: bytes)
                default:
                    return .failed(error)
                }
            }
            switch SPHeader.parse(bytes) {
            case .header(let number, let proto):
                return .header(number: number, protocol: proto, at: ContinuousClock.now)
            case .notSP:
                let reason = nudged
                    ? "it sent nothing for \(DurationText.format(quietWindow)); asked with an HTTP HEAD request, it answered"
                    : "it sent"
                return .notSP(reason: reason, firstBytes: Array(bytes.prefix(Self.shownBytes)))
            case .incomplete:
                continue
            }
        }
    }
}
