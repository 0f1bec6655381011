import NNGCore

/// `nngcat proxy PATTERN`: forwards between two sides through raw sockets,
/// so NNG's routing headers pass untouched and replies find their requester.
///
/// Plain forwarding is libnng's own `nng_device`. With `--tap` or `-v` it is
/// our `ForwardingChain` instead (the same receive-then-send loop, one per
/// direction), which can show each message to the tap and count it.
enum ProxyMode {
    /// How long the tap's writer may take, after a signal, to print what it
    /// still holds (under the signal watcher's 2 s limit).
    static let tapDrainLimit: Duration = .seconds(1)

    static func run(_ settings: ProxySettings) -> ExitStatus {
        let sockets: ProxySockets
        do { sockets = try ProxySockets.open(settings) } catch {
            Diagnostics.error(error.message)
            return error.status
        }
        Signals.onInterrupt { _ in sockets.closeAll() }
        let tap = settings.tap ? MessageTap(prefixes: settings.tapMatch) : nil
        let writer = tap.map { TapWriter(tap: $0, settings: settings, sockets: sockets) }
        writer?.start()
        let status: ExitStatus
        do throws(NNGError) {
            if tap != nil || settings.socket.verbose {
                try forwardWithChains(settings, sockets: sockets, tap: tap)
            } else {
                try Device(sockets.inSocket, sockets.outSocket).wait()
            }
            status = Signals.status(otherwise: .failure)
        } catch {
            Diagnostics.error(error.description)
            status = Signals.status(otherwise: .failure)
        }
        if let tap, let writer {
            let lost = tap.dropped + writer.finish(within: tapDrainLimit)
            if lost > 0 || settings.socket.verbose {
                Diagnostics.note("tap: \(lost) message\(lost == 1 ? "" : "s") dropped (stdout did not keep up)")
            }
        }
        SocketRelease.finish(sockets.inSocket, listens: sockets.listens, status: status)
        if sockets.outSocket !== sockets.inSocket { SocketRelease.finish(sockets.outSocket, listens: sockets.listens, status: status) }
        return status
    }

    /// Runs one chain per direction until the sockets close; with `-v`,
    /// prints how many messages went each way.
    private static func forwardWithChains(_ settings: ProxySettings, sockets: ProxySockets, tap: MessageTap?) throws(NNGError) {
        let pattern = settings.pattern
        var chains: [ForwardingChain] = []
        defer { for chain in chains { chain.close() } }
        if pattern.sharesOneSocket {
            // Tag 0: the tap's writer tells the side by the endpoint the peer came through.
            chains.append(try ForwardingChain(from: sockets.inSocket, to: sockets.inSocket, tap: tap, tag: 0))
        } else {
            chains.append(try ForwardingChain(from: sockets.inSocket, to: sockets.outSocket, tap: tap, tag: ProxySide.in.rawValue))
            if pattern.bothWays {
                chains.append(try ForwardingChain(from: sockets.outSocket, to: sockets.inSocket, tap: tap, tag: ProxySide.out.rawValue))
            }
        }
        for chain in chains { chain.start() }
        for chain in chains { chain.waitUntilStopped() }
        if settings.socket.verbose {
            if pattern.sharesOneSocket {
                Diagnostics.note("forwarded \(chains[0].forwarded) messages (each to every other bus peer)")
            } else {
                var line = "forwarded in -> out: \(chains[0].forwarded) messages"
                if chains.count > 1 { line += ", out -> in: \(chains[1].forwarded) messages" }
                Diagnostics.note(line)
            }
        }
    }
}
