import NNGCore

/// Probes one URL: dials it (or waits for a peer to dial in), learns the
/// peer's protocol from its SP header or, over ws/wss, from the WebSocket
/// subprotocol it accepts, and closes the connection.
struct Prober: Sendable {
    let settings: ProbeSettings

    /// Silence longer than this (or four times the connect time, if longer)
    /// means the peer waits for us to speak: an SP peer never does.
    static let minimumQuietWindow: Duration = .milliseconds(250)

    func probe(_ target: ProbeSettings.Target) -> ProbeOutcome {
        let scheme = Endpoint.scheme(of: target.url) ?? ""
        let webSocket = scheme.hasPrefix("ws")
        switch (target.listens, webSocket) {
        case (false, false): return dialStream(target.url)
        case (false, true): return WebSocketProbe(settings: settings).dial(target.url)
        case (true, _): return accept(target.url, webSocket: webSocket)
        }
    }

    var timeoutText: String { DurationText.format(settings.timeout) }

    private func dialStream(_ url: String) -> ProbeOutcome {
        let start = ContinuousClock.now
        let deadline = MonotonicDeadline.after(settings.timeout)!
        var outcome = ProbeOutcome(url: url, peerDialed: false, finding: .failed(""))
        let stream: ByteStream
        do throws(NNGError) {
            let dialer = try StreamDialer(url: url, tls: settings.tls)
            defer { dialer.close() }
            stream = try dialer.dial(timeout: .after(deadline.remaining))
        } catch {
            outcome.finding = finding(for: error, url: url)
            return outcome
        }
        defer { stream.close() }
        let window = max(Self.minimumQuietWindow, (ContinuousClock.now - start) * 4)
        let reader = HeaderReader(stream: stream, deadline: deadline, quietWindow: window, nudges: true)
        record(reader.read(timeoutText: timeoutText), from: stream, start: start, url: url, into: &outcome)
        return outcome
    }

    private func accept(_ url: String, webSocket: Bool) -> ProbeOutcome {
        let start = ContinuousClock.now
        let deadline = MonotonicDeadline.after(settings.timeout)!
        var outcome = ProbeOutcome(url: url, peerDialed: true, finding: .failed(""))
        let stream: ByteStream
        do throws(NNGError) {
            // Over ws every SP subprotocol is accepted: the one a client asks for names its peer.
            let names = webSocket ? SocketProtocol.allCases.map(\.webSocketName) : []
            let listener = try StreamListener(url: url, tls: settings.tls, webSocketProtocols: names)
            defer { listener.close() }
            stream = try listener.accept(timeout: .after(deadline.remaining))
        } catch {
            outcome.finding = error.code == .timedOut
                ? .timedOut("no peer dialed in within \(timeoutText)")
                : .failed(ConnectedSocket.describe(error, tls: settings.tls))
            return outcome
        }
        defer { stream.close() }
        outcome.remoteAddress = stream.remoteAddress
        outcome.tlsVerified = stream.tlsVerified
        if webSocket {
            outcome.elapsed = ContinuousClock.now - start
            outcome.webSocketProtocol = stream.webSocketProtocol
            // A client asks for its peer's subprotocol: a req dialer asks for rep.sp.nanomsg.org.
            if let asked = outcome.webSocketProtocol, let wanted = SocketProtocol(webSocketName: asked) {
                outcome.finding = .spPeer(number: wanted.peer.number, protocol: wanted.peer)
            } else {
                outcome.finding = .notSP(reason: "it asked for no SP subprotocol", firstBytes: [])
            }
            return outcome
        }
        let reader = HeaderReader(stream: stream, deadline: deadline, quietWindow: .zero, nudges: false)
        record(reader.read(timeoutText: timeoutText), from: stream, start: start, url: url, into: &outcome)
        return outcome
    }

    private func record(_ result: HeaderReader.Result, from stream: ByteStream, start: ContinuousClock.Instant,
                        url: String, into outcome: inout ProbeOutcome) {
        outcome.remoteAddress = outcome.remoteAddress ?? stream.remoteAddress
        outcome.tlsVerified = stream.tlsVerified
        switch result {
        case .header(let number, let proto, let at):
            outcome.elapsed = at - start
            outcome.finding = .spPeer(number: number, protocol: proto)
        case .notSP(let reason, let bytes):
            outcome.finding = .notSP(reason: reason, firstBytes: bytes)
        case .failed(let error):
            outcome.finding = finding(for: error, url: url)
        case .timedOut(let text):
            outcome.finding = .timedOut(text)
        }
    }

    /// A dial's error as send prints it; TLS errors that surface on the first
    /// read (libnng finishes the handshake there) read as the dial's.
    func finding(for error: NNGError, url: String) -> ProbeOutcome.Finding {
        if error.code == .timedOut {
            return .timedOut("no answer within \(timeoutText): " + (error.operation == "dial" ? "the connection was not established" : "nothing arrived"))
        }
        var dialError = error
        dialError.operation = "dial"
        dialError.url = url
        return .failed(ConnectedSocket.describe(dialError, tls: settings.tls))
    }
}
