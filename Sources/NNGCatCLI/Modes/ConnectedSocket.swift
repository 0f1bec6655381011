import NNGCore
import Glibc

/// An open socket with its endpoints, as the settings describe.
final class ConnectedSocket: Sendable {
    let socket: Socket
    let dialers: [Dialer]
    let listeners: [Listener]

    init(socket: Socket, dialers: [Dialer], listeners: [Listener]) {
        self.socket = socket
        self.dialers = dialers
        self.listeners = listeners
    }

    /// Opens the socket, applies options, then listens and dials (listening
    /// first, so an inproc dial to our own listener finds it).
    static func open(_ settings: SocketSettings) throws(CLIError) -> ConnectedSocket {
        let socket: Socket
        do { socket = try Socket(settings.socketProtocol) } catch { throw CLIError(error) }
        do {
            if settings.verbose {
                // libnng does not say why a peer went away; the one reason we cause
                // ourselves is worth naming: a message over --recv-maxsz ends the connection.
                let limit = settings.receiveMaxSize.flatMap { $0 > 0 && settings.socketProtocol.canReceive ? $0 : nil }
                let hint = limit.map { " (if it sent a message over --recv-maxsz \($0) bytes, that message was dropped)" } ?? ""
                socket.peers.onEvent { event in
                    let address = event.remoteAddress ?? "unknown address"
                    Diagnostics.note(event.kind == .connected ? "peer connected: \(address)" : "peer disconnected: \(address)\(hint)")
                }
                if let limit {
                    Diagnostics.note("messages over \(limit) bytes are refused (--recv-maxsz): their sender is disconnected")
                }
            }
            if let size = settings.receiveMaxSize { try socket.set(.receiveMaxSize(size)) }
            if settings.socketProtocol == .sub0 {
                if settings.subscriptions.isEmpty {
                    try socket.subscribe(to: [])
                } else {
                    for topic in settings.subscriptions { try socket.subscribe(to: topic) }
                }
            }
            if let surveyTime = settings.surveyTime ?? (settings.socketProtocol == .surveyor0 ? .seconds(1) : nil) {
                try socket.set(.surveyTime(surveyTime))
            }
            if let wait = settings.reconnectMin { try socket.set(.reconnectMinTime(wait)) }
            if let wait = settings.reconnectMax { try socket.set(.reconnectMaxTime(wait)) }
            for (name, value) in settings.socketOptions { try socket.setOption(named: name, to: value) }
        } catch {
            socket.close()
            throw CLIError(error)
        }
        if let tls = settings.tls { warnAbout(tls) }
        var listeners: [Listener] = []
        var dialers: [Dialer] = []
        do {
            for url in settings.listens {
                let listener = try socket.listen(url, tls: settings.tls)
                listeners.append(listener)
                if settings.verbose {
                    Diagnostics.note("listening on \(url)" + (listener.port.map { url.hasSuffix(":0") ? " (port \($0))" : "" } ?? ""))
                }
            }
            for url in settings.dials {
                let (dialer, retrying) = try dial(url, on: socket, settings) { Diagnostics.note($0) }
                dialers.append(dialer)
                if settings.verbose && !retrying {
                    Diagnostics.note(settings.dialPolicy == .background ? "dialing \(url) in the background" : "dialed \(url)")
                }
            }
        } catch {
            socket.close()
            // A dial the kernel gave up on is a failure to connect (1), not a timeout of ours (3).
            throw CLIError(error, message: describe(error, tls: settings.tls), status: .failure)
        }
        return ConnectedSocket(socket: socket, dialers: dialers, listeners: listeners)
    }

    /// Dials `url` as the settings' policy says. With `.retry`, a first attempt
    /// that finds nobody there is reported once through `report` (unless
    /// `--quiet`) and the dial goes on in the background; `retrying` says so.
    /// Any other failure is thrown.
    static func dial(_ url: String, on socket: Socket, _ settings: SocketSettings,
                     report: (String) -> Void) throws(NNGError) -> (dialer: Dialer, retrying: Bool) {
        switch settings.dialPolicy {
        case .background:
            return (try socket.dial(url, tls: settings.tls, blocking: false), false)
        case .failFast:
            return (try socket.dial(url, tls: settings.tls, blocking: true), false)
        case .retry:
            do {
                return (try socket.dial(url, tls: settings.tls, blocking: true), false)
            } catch where error.code.meansNobodyIsThereYet {
                if !settings.quiet { report("\(describe(error, tls: settings.tls)); retrying") }
                return (try socket.dial(url, tls: settings.tls, blocking: false), true)
            }
        }
    }

    /// libnng 1.5.2 (mbedTLS) reports every failed TLS handshake of a dial as
    /// one of two bare codes, "Cryptographic error" or "Peer could not be
    /// authenticated"; say what they mean, on the same one line.
    static func describe(_ error: NNGError, tls: TLSConfiguration?) -> String {
        if error.operation == "dial", error.code == .invalidAddress, !error.duringEndpointCreation {
            // libnng says only "Address invalid" when the host name does not resolve.
            return error.description + " (the host name does not resolve, or the address is not valid)"
        }
        guard error.operation == "dial", let url = error.url,
              let scheme = Endpoint.scheme(of: url), scheme.hasPrefix("tls+") || scheme.hasPrefix("wss") else {
            return error.description
        }
        let prefix = "dial \(url): TLS handshake failed: "
        switch error.code {
        case .peerAuthenticationFailed:
            return prefix + "the server's certificate cannot be verified without --cacert (or skip verification with --insecure)"
        case .cryptographicError:
            let name = tls?.serverName ?? Endpoint.host(of: url) ?? ""
            var message = prefix + "the server's certificate was refused (not signed by a --cacert authority, expired, or not issued for '\(name)')"
            if tls?.certificateFile != nil { message += ", the server refused ours" }
            message += ", or the peer does not speak TLS"
            if name.contains(where: { $0 == "." || $0 == ":" }) && name.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) {
                message += " (IP addresses in certificates are not matched: dial by host name or give --server-name)"
            }
            return message
        default:
            return error.description
        }
    }

    static func warnAbout(_ tls: TLSConfiguration) {
        if tls.verification == TLSConfiguration.Verification.none {
            Diagnostics.warning("TLS peer verification is off (--insecure): the peer is not authenticated")
        }
        if let key = tls.keyFile ?? tls.certificateFile {
            var status = stat()
            if stat(key, &status) == 0, status.st_mode & 0o077 != 0, tls.keyFile != nil || holdsPrivateKey(key) {
                Diagnostics.warning("private key \(key) is readable by others (mode \(String(status.st_mode & 0o777, radix: 8)))")
            }
        }
    }

    /// Whether a `--cert` file also holds the key (a PEM `PRIVATE KEY` block).
    static func holdsPrivateKey(_ path: String) -> Bool {
        guard let file = fopen(path, "rb") else { return false }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: 1 << 16)
        let count = fread(&bytes, 1, bytes.count, file)
        return String(decoding: bytes[0..<count], as: UTF8.self).contains("PRIVATE KEY-----")
    }

    func close() { socket.close() }
}
