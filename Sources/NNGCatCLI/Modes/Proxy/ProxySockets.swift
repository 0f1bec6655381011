import NNGCore
import Synchronization

/// The raw sockets of a proxy with each side's endpoints: two sockets, or
/// one bus0 socket holding both sides' endpoints.
final class ProxySockets: Sendable {
    let inSocket: Socket
    let outSocket: Socket
    /// The in side's endpoints, which tell the sides apart on a bus's one socket.
    private let inEndpoints = Mutex<(listeners: [Listener], dialers: [Dialer])>(([], []))
    let listens: Bool

    private init(inSocket: Socket, outSocket: Socket, listens: Bool) {
        self.inSocket = inSocket
        self.outSocket = outSocket
        self.listens = listens
    }

    /// Opens the raw sockets, applies the shared options, then listens and
    /// dials on each side (listening first, as `ConnectedSocket` does).
    static func open(_ settings: ProxySettings) throws(CLIError) -> ProxySockets {
        let pattern = settings.pattern
        let common = settings.socket
        let inSocket: Socket
        let outSocket: Socket
        do {
            inSocket = try Socket(raw: pattern.inProtocol)
            outSocket = pattern.sharesOneSocket ? inSocket : try Socket(raw: pattern.outProtocol)
        } catch {
            throw CLIError(error)
        }
        let closeBoth = { inSocket.close(); outSocket.close() }
        do {
            for socket in pattern.sharesOneSocket ? [inSocket] : [inSocket, outSocket] {
                if let size = common.receiveMaxSize { try socket.set(.receiveMaxSize(size)) }
                if let wait = common.reconnectMin { try socket.set(.reconnectMinTime(wait)) }
                if let wait = common.reconnectMax { try socket.set(.reconnectMaxTime(wait)) }
            }
        } catch {
            closeBoth()
            throw CLIError(error)
        }
        if let tls = common.tls { ConnectedSocket.warnAbout(tls) }
        let listens = !settings.inSide.listens.isEmpty || !settings.outSide.listens.isEmpty
        let sockets = ProxySockets(inSocket: inSocket, outSocket: outSocket, listens: listens)
        // Before any endpoint exists, so that no early peer goes unreported.
        if common.verbose { sockets.reportPeers() }
        do {
            for (side, socket, endpoints) in [(ProxySide.in, inSocket, settings.inSide), (.out, outSocket, settings.outSide)] {
                for url in endpoints.listens {
                    let listener = try socket.listen(url, tls: common.tls)
                    if side == .in { sockets.inEndpoints.withLock { $0.listeners.append(listener) } }
                    if common.verbose {
                        Diagnostics.note("\(side.label): listening on \(url)" + (listener.port.map { url.hasSuffix(":0") ? " (port \($0))" : "" } ?? ""))
                    }
                }
            }
            for (side, socket, endpoints) in [(ProxySide.in, inSocket, settings.inSide), (.out, outSocket, settings.outSide)] {
                for url in endpoints.dials {
                    let (dialer, retrying) = try ConnectedSocket.dial(url, on: socket, common) { Diagnostics.note("\(side.label): \($0)") }
                    if side == .in { sockets.inEndpoints.withLock { $0.dialers.append(dialer) } }
                    if common.verbose && !retrying {
                        Diagnostics.note("\(side.label): " + (common.dialPolicy == .background ? "dialing \(url) in the background" : "dialed \(url)"))
                    }
                }
            }
        } catch {
            closeBoth()
            throw CLIError(error, message: ConnectedSocket.describe(error, tls: common.tls), status: .failure)
        }
        return sockets
    }

    /// The side a connection belongs to: on a bus proxy both sides share one
    /// socket, so it is told by the endpoint the peer came through.
    func side(of pipe: Pipe, onInSocket: Bool = true) -> ProxySide {
        guard inSocket === outSocket else { return onInSocket ? .in : .out }
        let cameIn = inEndpoints.withLock { endpoints in
            endpoints.listeners.contains { pipe.came(through: $0) } || endpoints.dialers.contains { pipe.came(through: $0) }
        }
        return cameIn ? .in : .out
    }

    /// Reports peers joining and leaving, per side, on stderr.
    func reportPeers() {
        let sockets = inSocket === outSocket ? [(inSocket, true)] : [(inSocket, true), (outSocket, false)]
        for (socket, onIn) in sockets {
            socket.peers.onEvent { [self] event in
                let address = event.remoteAddress ?? "unknown address"
                let side = side(of: event.pipe, onInSocket: onIn)
                Diagnostics.note("\(side.label): peer \(event.kind == .connected ? "connected" : "disconnected"): \(address)")
            }
        }
    }

    func closeAll() {
        inSocket.close()
        outSocket.close()
    }
}
