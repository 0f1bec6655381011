import NNGCore
import Glibc

/// The state of the REPL: socket, endpoints, counts, and the one send (or
/// request awaiting its reply) in flight. Lines are executed one at a time:
/// while something is in flight, the event loop holds further lines back.
///
/// Confined to the event loop's thread. Other threads only reach it through
/// `Wakeup` (aio completions, peer events), never directly.
final class ReplSession {
    /// What is in flight.
    enum Phase {
        /// An aio send; `request` when a reply (req) or responses (surveyor) follow.
        case sending(AIO, request: Bool)
        /// req: until the reply arrives or the deadline passes.
        case awaitingReply(MonotonicDeadline?)
        /// surveyor: responses print until the survey time is over.
        case surveying(MonotonicDeadline, responses: Int)
    }

    static let defaultTimeout: Duration = .seconds(10)

    private(set) var settings: SocketSettings
    let console: ReplConsole
    let wakeup: Wakeup
    private(set) var socket: Socket?
    private var peers: PeerLog
    private(set) var receiveDescriptor: Int32?
    private(set) var endpoints: [ReplEndpoint] = []
    private(set) var usedURLs: [String] = []
    private(set) var received = 0
    private(set) var sent = 0
    private(set) var phase: Phase?
    private var sendTimeout: Duration?
    private var replyTimeout: Duration?
    /// sub: the explicit topics; `everything` while the initial catch-all stands.
    private var topics: [[UInt8]]
    private var everything: Bool
    /// rep/respondent: a request has arrived and is not answered yet.
    private var awaitingAnswer = false
    /// Replies or responses that arrived before the send's completion was seen:
    /// the wakeup from the aio can trail the reply's descriptor.
    private var earlyResponses = 0
    private(set) var quitRequested = false

    init(settings: SocketSettings, console: ReplConsole, wakeup: Wakeup) {
        self.settings = settings
        self.console = console
        self.wakeup = wakeup
        peers = PeerLog(wakeup: wakeup)
        sendTimeout = settings.sendTimeout ?? Self.defaultTimeout
        replyTimeout = settings.receiveTimeout ?? Self.defaultTimeout
        topics = settings.subscriptions
        everything = settings.subscriptions.isEmpty
    }

    var isBusy: Bool { phase != nil }

    // MARK: Socket and endpoints

    /// Opens the socket and the endpoints the command line gave; endpoint
    /// failures are reported and the session goes on.
    func start() throws(CLIError) {
        let initial = (settings.listens.map { ($0, true) }) + (settings.dials.map { ($0, false) })
        socket = try openSocket(settings.socketProtocol)
        for (url, listens) in initial {
            do throws(ReplError) { try addEndpoint(url, listen: listens) } catch { console.error(error.message) }
        }
    }

    private func openSocket(_ proto: SocketProtocol) throws(CLIError) -> Socket {
        var bare = settings
        bare.socketProtocol = proto
        bare.dials = []
        bare.listens = []
        bare.verbose = false  // peer events are reported above the prompt instead
        bare.subscriptions = proto == .sub0 && !everything ? topics : []
        if proto != .surveyor0 { bare.surveyTime = nil }
        let socket = try ConnectedSocket.open(bare).socket
        let log = PeerLog(wakeup: wakeup)
        socket.peers.onEvent { log.record($0) }
        peers = log
        receiveDescriptor = proto.canReceive ? try? socket.receiveDescriptor() : nil
        awaitingAnswer = false
        return socket
    }

    func addEndpoint(_ text: String, listen: Bool) throws(ReplError) {
        guard let socket else { throw ReplError("no socket") }
        let url: String
        do { url = try ValueParsers.url(text, option: listen ? ".listen" : ".dial") } catch { throw ReplError(error) }
        if endpoints.contains(where: { $0.url == url && $0.kind == (listen ? .listen : .dial) }) {
            throw ReplError("already \(listen ? "listening on" : "dialing") \(url)")
        }
        remember(url)
        do throws(NNGError) {
            if listen {
                let listener = try socket.listen(url, tls: settings.tls)
                endpoints.append(ReplEndpoint(kind: .listen, url: url, listener: listener))
                let port = url.hasSuffix(":0") ? listener.port.map { " (port \($0))" } ?? "" : ""
                console.note("listening on \(url)\(port)")
            } else {
                let console = console
                let (dialer, retrying) = try ConnectedSocket.dial(url, on: socket, settings) { console.note($0) }
                endpoints.append(ReplEndpoint(kind: .dial, url: url, dialer: dialer, retrying: retrying))
                if !retrying { console.note(settings.dialPolicy == .background ? "dialing \(url) in the background" : "dialed \(url)") }
            }
        } catch {
            throw ReplError(error)
        }
    }

    func closeEndpoint(_ url: String) throws(ReplError) {
        guard !url.isEmpty else { throw ReplError(".close needs a URL (open: \(endpointList))") }
        guard let index = endpoints.firstIndex(where: { $0.url == url }) else {
            throw ReplError("no endpoint \(url) (open: \(endpointList))")
        }
        let endpoint = endpoints.remove(at: index)
        endpoint.dialer?.close()
        endpoint.listener?.close()
        console.note("closed \(url)")
    }

    private var endpointList: String {
        endpoints.isEmpty ? "none" : endpoints.map(\.url).joined(separator: ", ")
    }

    private func remember(_ url: String) {
        usedURLs.removeAll { $0 == url }
        usedURLs.insert(url, at: 0)
    }

    /// `.proto`: a new socket of `proto`, with the same endpoints and options.
    func switchProtocol(to name: String) throws(ReplError) {
        guard let proto = ValueParsers.socketProtocol(name) else {
            throw ReplError("unknown protocol '\(name)' (known: \(ValueParsers.protocolNames.joined(separator: ", ")))")
        }
        topics = []
        everything = true
        let fresh: Socket
        do { fresh = try openSocket(proto) } catch { throw ReplError(error.message) }
        if let old = socket {
            if sent > 0 { _ = old.waitUntilFlushed(timeout: .seconds(1)) }
            old.close()
        }
        socket = fresh
        settings.socketProtocol = proto
        let previous = endpoints
        endpoints = []
        var failures: [String] = []
        for endpoint in previous {
            do throws(ReplError) { try addEndpoint(endpoint.url, listen: endpoint.kind == .listen) } catch {
                failures.append(error.message)
            }
        }
        console.note("now \(proto.shortName) (\(proto.rawValue))")
        if !failures.isEmpty { throw ReplError(failures.joined(separator: "; ")) }
    }

    /// Waits (bounded) until what was sent has left the process, then closes.
    func finish(flushFor limit: Duration) {
        guard let socket else { return }
        if sent > 0 { _ = socket.waitUntilFlushed(timeout: min(limit, sendTimeout ?? limit)) }
        if case .sending(let aio, _) = phase { aio.cancel() }
        socket.close()
        self.socket = nil
    }

    // MARK: Sending

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

    // MARK: Receiving

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
            switch (socket.socketProtocol, phase) {
            case (.req0, .awaitingReply?): phase = nil
            case (.req0, .sending(_, true)?), (.surveyor0, .sending(_, true)?): earlyResponses += 1
            case (.surveyor0, .surveying(let deadline, let responses)?): phase = .surveying(deadline, responses: responses + 1)
            case (.rep0, _), (.respondent0, _): awaitingAnswer = true
            default: break
            }
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

    // MARK: Lines and commands

    /// One line typed or read: a message, or a dot-command.
    func execute(_ line: String) {
        do throws(ReplError) {
            if line.hasPrefix(".") {
                try command(line)
            } else if !line.isEmpty {
                try send(Array(line.utf8))
            }
        } catch {
            console.error(error.message)
        }
    }

    private func command(_ line: String) throws(ReplError) {
        let name = String(line.prefix { $0 != " " && $0 != "\t" })
        var argument = Substring(line.dropFirst(name.count))
        if let first = argument.first, first == " " || first == "\t" { argument = argument.dropFirst() }
        let rawArgument = String(argument)  // .send, .sub keep their spaces
        let trimmed = rawArgument.trimmingSpaces
        guard let spec = ReplCommands.named(name), name.count > 1 else {
            throw ReplError("unknown command '\(name)'\(ReplCommands.suggestion(for: name)); type .help for the list, or .send TEXT to send a line that starts with a dot")
        }
        switch spec.key {
        case .dial, .listen:
            guard !trimmed.isEmpty else { throw ReplError("\(spec.name) needs a URL, e.g. \(spec.name) tcp://127.0.0.1:5555") }
            try addEndpoint(trimmed, listen: spec.key == .listen)
        case .close: try closeEndpoint(trimmed)
        case .proto:
            guard !trimmed.isEmpty else { throw ReplError(".proto needs a protocol: \(ValueParsers.protocolNames.joined(separator: ", "))") }
            try switchProtocol(to: trimmed)
        case .sub: try subscribe(Array(rawArgument.utf8))
        case .unsub: try unsubscribe(Array(rawArgument.utf8))
        case .format:
            guard !trimmed.isEmpty else {
                console.output("format: \(settings.format.rawValue)\n")
                return
            }
            guard let format = OutputFormat(rawValue: trimmed) else {
                throw ReplError("unknown format '\(trimmed)' (known: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            settings.format = format
        case .send: try send(Array(rawArgument.utf8))
        case .hex:
            let decoded = Array(trimmed.utf8).withUnsafeBytes { raw in
                Result { () throws(DecodeError) in try RecordDecoders.hex(raw) }
            }
            switch decoded {
            case .success(let bytes): try send(bytes)
            case .failure(let error): throw ReplError(error.message)
            }
        case .file: try send(try Self.readFile(trimmed))
        case .set: try setOption(trimmed)
        case .timeout: try setTimeout(trimmed)
        case .status: console.output(statusText)
        case .help:
            guard let text = ReplCommands.helpText(for: trimmed) else {
                throw ReplError("no command '\(trimmed)'\(ReplCommands.suggestion(for: trimmed.hasPrefix(".") ? trimmed : "." + trimmed))")
            }
            console.output(text)
        case .quit: quitRequested = true
        }
    }

    /// End of input, Ctrl-D, or a second Ctrl-C.
    func requestQuit() { quitRequested = true }

    private func subscribe(_ topic: [UInt8]) throws(ReplError) {
        guard let socket, socket.socketProtocol == .sub0 else { throw ReplError(".sub works only with sub; use .proto sub") }
        do throws(NNGError) {
            if everything && !topic.isEmpty {
                try socket.unsubscribe(from: [])
                everything = false
            }
            if topic.isEmpty {
                if !everything { try socket.subscribe(to: []) }
                everything = true
            } else if !topics.contains(topic) {
                try socket.subscribe(to: topic)
                topics.append(topic)
            }
        } catch {
            throw ReplError(error)
        }
        console.note(topic.isEmpty ? "subscribed to everything" : "subscribed to '\(String(decoding: topic, as: UTF8.self))'")
    }

    private func unsubscribe(_ topic: [UInt8]) throws(ReplError) {
        guard let socket, socket.socketProtocol == .sub0 else { throw ReplError(".unsub works only with sub") }
        let shown = topic.isEmpty ? "everything" : "'\(String(decoding: topic, as: UTF8.self))'"
        guard (topic.isEmpty && everything) || topics.contains(topic) else { throw ReplError("not subscribed to \(shown)") }
        do throws(NNGError) {
            if topic.isEmpty && everything {
                try socket.unsubscribe(from: [])
                everything = false
            } else if let index = topics.firstIndex(of: topic) {
                try socket.unsubscribe(from: topic)
                topics.remove(at: index)
            }
        } catch {
            throw ReplError(error)
        }
        console.note("unsubscribed from \(shown)")
    }

    private func setOption(_ argument: String) throws(ReplError) {
        let parts = argument.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, let socket else {
            throw ReplError(".set needs OPTION VALUE (options: \(ReplOptions.names.joined(separator: ", ")))")
        }
        let name = String(parts[0])
        let value: String
        do { value = try ReplOptions.normalize(parts[1].trimmingSpaces, for: name) } catch { throw ReplError(error) }
        if name == "send-timeout" || name == "recv-timeout" {
            throw ReplError("use .timeout DUR: every send and reply wait here has its own timeout")
        }
        do { try socket.setOption(named: name, to: value) } catch { throw ReplError(error) }
        settings.socketOptions.removeAll { $0.name == name }
        settings.socketOptions.append((name, value))
        console.note("\(name) = \(value)")
    }

    private func setTimeout(_ argument: String) throws(ReplError) {
        if argument.isEmpty {
            console.output("timeout: send \(DurationText.format(sendTimeout)), reply \(DurationText.format(replyTimeout))\n")
            return
        }
        let value: Duration?
        if ["off", "none", "infinite", "forever"].contains(argument) {
            value = nil
        } else {
            do { value = try ValueParsers.duration(argument, option: ".timeout") } catch { throw ReplError(error) }
        }
        sendTimeout = value
        replyTimeout = value
        console.note("timeout: \(DurationText.format(value))")
    }

    static func readFile(_ text: String) throws(ReplError) -> [UInt8] {
        guard !text.isEmpty else { throw ReplError(".file needs a PATH") }
        var path = text
        if path.hasPrefix("~/"), let home = getenv("HOME") { path = String(cString: home) + path.dropFirst() }
        if path == "-" { path = "./-" }  // stdin holds the session itself, not a message
        do { return try WholeFile.read(path) } catch { throw ReplError("cannot read \(text): \(error.reason)") }
    }

    // MARK: Presentation

    var prompt: String {
        let proto = settings.socketProtocol
        var endpoint = endpoints.first?.url
        if let first = endpoint, endpoints.count > 1 { endpoint = first + " +\(endpoints.count - 1)" }
        return console.prompt(protocol: proto.shortName, endpoint: endpoint)
    }

    var statusText: String {
        let proto = settings.socketProtocol
        let connected = peers.connected
        var text = "protocol: \(proto.shortName) (\(proto.rawValue))\n"
        if endpoints.isEmpty {
            text += "endpoints: none (use .dial URL or .listen URL)\n"
        } else {
            text += "endpoints:\n"
            for endpoint in endpoints {
                text += "  \(endpoint.kind.rawValue.padding(6)) \(endpoint.url)  \(state(of: endpoint, connected: connected))\n"
            }
        }
        text += "peers: \(connected.count) connected\(connected.isEmpty ? "" : " (" + connected.joined(separator: ", ") + ")")\n"
        text += "messages: \(received) in, \(sent) out\n"
        if proto == .sub0 {
            var shown = topics.map { "'" + String(decoding: $0, as: UTF8.self) + "'" }
            if everything { shown.insert("everything", at: 0) }
            text += "subscriptions: \(shown.isEmpty ? "none" : shown.joined(separator: ", "))\n"
        }
        text += "format: \(settings.format.rawValue); timeout: send \(DurationText.format(sendTimeout)), reply \(DurationText.format(replyTimeout))\n"
        switch phase {
        case .sending?: text += "in flight: a send\n"
        case .awaitingReply?: text += "in flight: waiting for a reply\n"
        case .surveying?: text += "in flight: collecting survey responses\n"
        case nil: break
        }
        return text
    }

    /// A dialer counts as connected when a peer has the address it dialed.
    private func state(of endpoint: ReplEndpoint, connected: [String]) -> String {
        switch endpoint.kind {
        case .listen:
            let port = endpoint.url.hasSuffix(":0") ? endpoint.listener?.port.map { ", port \($0)" } ?? "" : ""
            return "listening\(port)"
        case .dial:
            let address = endpoint.url.firstRange(of: "://").map { String(endpoint.url[$0.upperBound...]) } ?? endpoint.url
            if connected.contains(address) { return "connected" }
            if endpoint.retrying || settings.dialPolicy == .background { return "waiting for the peer (dialing in the background)" }
            return "dialed (reconnects if dropped)"
        }
    }
}

fileprivate extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }

    func padding(_ width: Int) -> String {
        count >= width ? String(self) : String(self) + String(repeating: " ", count: width - count)
    }
}
