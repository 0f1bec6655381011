import NNGCore
import Glibc

/// `nngcat send`: messages from arguments, a file or stdin, to the socket.
enum SendMode {
    static func run(_ settings: SendSettings) -> ExitStatus {
        ModeRunner.run(settings.socket) { (socket) throws(CLIError) in
            try waitForPeers(settings, socket: socket)
            if let delay = settings.delay { Signals.sleep(for: delay) }
            let requests = settings.socket.socketProtocol == .req0 || settings.socket.socketProtocol == .surveyor0
            let reporter = SendObservation.reporter(settings, latency: requests)
            reporter.start()
            defer { reporter.finish() }
            if requests {
                try RequestLoop(settings: settings, socket: socket, reporter: reporter).run()
            } else {
                try stream(settings, socket: socket, reporter: reporter)
            }
        }
    }

    static func waitForPeers(_ settings: SendSettings, socket: Socket) throws(CLIError) {
        guard settings.waitPeers > 0 else { return }
        if !socket.peers.waitForPeers(settings.waitPeers, timeout: settings.connectTimeout) {
            let connected = socket.peers.connectedCount
            let wanted = settings.waitPeers == 1 ? "a peer" : "\(settings.waitPeers) peers"
            throw CLIError("no message sent: \(connected == 0 ? "no peer" : "only \(connected) peer(s)") connected within \(DurationText.format(settings.connectTimeout)) (waiting for \(wanted); see --wait-peers, --connect-timeout)", status: .timeout)
        }
    }

    /// Sends through the callback-chained sender, then waits until every
    /// message has left the process, bounded by `--linger`.
    static func stream(_ settings: SendSettings, socket: Socket, reporter: LiveReporter) throws(CLIError) {
        let sender: MessageSender
        do { sender = try MessageSender(socket: socket, timeout: Timeout(settings.socket.sendTimeout)) } catch { throw CLIError(error) }
        defer { sender.close() }
        var failure: CLIError?
        do throws(CLIError) {
            let traffic = reporter.isActive ? reporter.traffic : nil
            try MessageFeed(settings: settings, progress: reporter.progress).forEach { body throws(CLIError) in
                do throws(NNGError) {
                    try sender.send(try Message(bytes: body))
                    traffic?.add(bytes: body.count)
                } catch {
                    throw CLIError(error)
                }
            }
        } catch {
            failure = error
        }
        if Signals.receivedSignal != nil { throw failure ?? CLIError("interrupted") }
        let deadline = MonotonicDeadline.after(settings.linger)
        let (notAccepted, sendError) = sender.finish(until: deadline)
        // After a send error the stream is over and its losses counted: waiting
        // out --linger for the last accepted message would only delay the report.
        let flushed = sendError == nil ? socket.waitUntilFlushed(timeout: deadline?.remaining) : true
        // `.canceled` is finish() giving up at the --linger deadline: reported below as such.
        if let sendError, sendError.code != .canceled {
            let lost = notAccepted == 1 ? "1 message" : "\(notAccepted) messages"
            throw CLIError(sendError, message: "\(sendError.description) (\(lost) not delivered)")
        }
        if let failure {
            throw failure
        }
        if notAccepted > 0 || !flushed || sendError != nil {
            let count = notAccepted + (flushed ? 0 : 1)
            throw CLIError("\(count) message(s) not delivered within --linger \(DurationText.format(settings.linger))", status: .failure)
        }
    }
}
