import NNGCore

/// The send state machine. `phase` runs sending, then (req, surveyor)
/// awaiting a reply or surveying, then nil, always on the loop's thread:
/// the aio's completion only signals the wakeup pipe, and the loop calls
/// `checkSend` when it wakes.
extension ReplSession {
    /// Sends `body` on the socket as the protocol means it: a message, a
    /// request (whose reply then prints), a survey, or an answer.
    func send(_ body: [UInt8]) throws(ReplError) {
        guard let socket else { throw ReplError("no socket") }
        let proto = socket.socketProtocol
        guard proto.canSend else {
            let advice = proto == .sub0 ? "use .sub TOPIC to choose what arrives, or .proto to switch protocol" : "use .proto to switch protocol"
            throw ReplError("\(proto.shortName) cannot send: \(advice)")
        }
        if (proto == .rep0 || proto == .respondent0) && !awaitingAnswer {
            throw ReplError("\(proto.shortName): no \(proto == .rep0 ? "request" : "survey") to answer yet")
        }
        let message: Message
        do { message = try Message(body) } catch { throw ReplError(error) }
        let aio: AIO
        do { aio = try AIO() } catch { throw ReplError(error) }
        aio.startSend(message, on: socket, timeout: Timeout(sendTimeout))
        phase = .sending(aio, request: proto == .req0 || proto == .surveyor0)
        if proto.sendWaitsForPeer && socket.peers.connectedCount == 0 {
            console.note("waiting for a peer to take it (up to \(DurationText.format(sendTimeout)); Ctrl-C cancels, .status shows the endpoints)")
        }
        earlyResponses = 0
        // The loop learns of the completion through the wakeup pipe.
        let wakeup = self.wakeup
        Task.detached {
            await aio.completion()
            wakeup.signal()
        }
    }

    /// After a wakeup: finishes a completed send.
    func checkSend() {
        guard case .sending(let aio, let request) = phase, aio.isDone else { return }
        phase = nil
        defer { aio.close() }
        do throws(NNGError) {
            try aio.result()
        } catch {
            switch error.code {
            case .timedOut: console.error("send timed out after \(DurationText.format(sendTimeout)) (no peer ready? see .status, .timeout)")
            case .canceled: console.note("send canceled")
            default: console.error(NNGError(error.code, operation: "send").description)
            }
            return
        }
        sent += 1
        awaitingAnswer = false
        guard request, let proto = socket?.socketProtocol else { return }
        if proto == .surveyor0 {
            phase = .surveying(MonotonicDeadline.after(settings.surveyTime ?? .seconds(1))!, responses: earlyResponses)
        } else if earlyResponses == 0 {
            phase = .awaitingReply(MonotonicDeadline.after(replyTimeout))
        }
    }

    /// A message was received: a reply or survey response moves the phase
    /// on, a request or survey is now there to answer.
    func messageArrived(on proto: SocketProtocol) {
        switch (proto, phase) {
        case (.req0, .awaitingReply?): phase = nil
        case (.req0, .sending(_, true)?), (.surveyor0, .sending(_, true)?): earlyResponses += 1
        case (.surveyor0, .surveying(let deadline, let responses)?): phase = .surveying(deadline, responses: responses + 1)
        case (.rep0, _), (.respondent0, _): awaitingAnswer = true
        default: break
        }
    }

    /// When the loop must wake up for the phase's deadline.
    var deadline: MonotonicDeadline? {
        switch phase {
        case .awaitingReply(let deadline): deadline
        case .surveying(let deadline, _): deadline
        default: nil
        }
    }

    func checkDeadline() {
        switch phase {
        case .awaitingReply(let deadline?) where deadline.hasPassed:
            phase = nil
            console.error("no reply within \(DurationText.format(replyTimeout)) (see .timeout)")
        case .surveying(let deadline, let responses) where deadline.hasPassed:
            phase = nil
            console.note("survey over: \(responses) response\(responses == 1 ? "" : "s")")
        default:
            break
        }
    }

    /// Ctrl-C on an empty line while something is in flight. True if there was.
    func cancelInFlight() -> Bool {
        switch phase {
        case .sending(let aio, _):
            aio.cancel()
        case .awaitingReply:
            phase = nil
            console.note("stopped waiting for the reply")
        case .surveying:
            phase = nil
            console.note("stopped collecting responses")
        case nil:
            return false
        }
        return true
    }
}
