import NNGCore

/// The socket and its endpoints. `.proto` opens a new socket rather than
/// reconfiguring: NNG fixes a socket's protocol when it is opened.
extension ReplSession {
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
                let (dialer, retrying) = try ConnectedSocket.dial(url, on: socket, settings) { console.notice($0) }
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
}
