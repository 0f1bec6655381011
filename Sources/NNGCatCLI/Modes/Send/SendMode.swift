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

    /// Pub drops what a subscriber cannot take in time; unless --lossy, the
    /// stream waits for the slowest one instead, as a pipeline would. Without
    /// libnng's statistics (a build can leave them out) it cannot tell, and
    /// sends as plain pub does.
    static func subscriberPace(_ settings: SendSettings, socket: Socket, sender: MessageSender) throws(CLIError) -> SubscriberPace? {
        guard settings.socket.socketProtocol == .pub0 && !settings.lossy else { return nil }
        do {
            return try SubscriberPace(socket: socket) { [sender] in sender.acceptedCount }
        } catch where error.code == .notSupported {
            if settings.socket.verbose { Diagnostics.note("libnng keeps no statistics: slow subscribers may lose messages") }
            return nil
        } catch {
            throw CLIError(error)
        }
    }

    private static func admit(_ bytes: Int, through pace: SubscriberPace, settings: SendSettings) throws(CLIError) {
        do {
            try pace.admit(bytes: bytes, waitingAtMost: settings.socket.sendTimeout) { Signals.receivedSignal != nil }
        } catch where error.code == .canceled {
            throw CLIError("interrupted")
        } catch where error.code == .timedOut {
            let timeout = settings.socket.sendTimeout.map(DurationText.format) ?? ""
            throw CLIError(error, message: "a subscriber fell behind and did not catch up within --send-timeout \(timeout) (see --lossy)")
        } catch {
            throw CLIError(error)
        }
    }

    /// Sends through the callback-chained sender, then waits until every
    /// message has left the process, bounded by `--linger`.
    static func stream(_ settings: SendSettings, socket: Socket, reporter: LiveReporter) throws(CLIError) {
        let sender: MessageSender
        do { sender = try MessageSender(socket: socket, timeout: Timeout(settings.socket.sendTimeout)) } catch { throw CLIError(error) }
        defer { sender.close() }
        let pace = try subscriberPace(settings, socket: socket, sender: sender)
        var failure: CLIError?
        do throws(CLIError) {
            let traffic = reporter.isActive ? reporter.traffic : nil
            try MessageFeed(settings: settings, progress: reporter.progress).forEach { body throws(CLIError) in
                if let pace { try admit(body.count, through: pace, settings: settings) }
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
        var flushed = sendError == nil ? socket.waitUntilFlushed(timeout: deadline?.remaining) : true
        var undelivered = flushed ? 0 : 1
        // A subscriber that stalled past --send-timeout would stall this too.
        if let pace, sendError == nil, failure?.cause?.code != .timedOut {
            undelivered = pace.waitUntilDelivered(until: deadline) { Signals.receivedSignal != nil }
            flushed = undelivered == 0
        }
        // `.canceled` is finish() giving up at the --linger deadline: reported below as such.
        if let sendError, sendError.code != .canceled {
            let lost = notAccepted == 1 ? "1 message" : "\(notAccepted) messages"
            throw CLIError(sendError, message: "\(sendError.description) (\(lost) not delivered)")
        }
        if let failure {
            throw failure
        }
        if notAccepted > 0 || !flushed || sendError != nil {
            let count = notAccepted + undelivered
            throw CLIError("\(count) message(s) not delivered within --linger \(DurationText.format(settings.linger))", status: .failure)
        }
    }
}
