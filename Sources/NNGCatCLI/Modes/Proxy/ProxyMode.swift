import NNGCore

/// `nngcat proxy PATTERN`: forwards between two sides through raw sockets,
/// so NNG's routing headers pass untouched and replies find their requester.
///
/// Plain forwarding is libnng's own `nng_device`. With `--tap`, `--stats` or
/// `-v` it is our `ForwardingChain` instead (the same receive-then-send loop,
/// one per direction), which can show each message to the tap and count it.
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
            if settings.needsChains {
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
        let reporter = statsReporter(settings, chains: chains)
        reporter?.start()
        for chain in chains { chain.start() }
        for chain in chains { chain.waitUntilStopped() }
        reporter?.finish()
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

    /// `--stats`: the totals over both directions, and each direction
    /// (`in_out`, `out_in`) as a part; a bus has one chain, so no parts.
    private static func statsReporter(_ settings: ProxySettings, chains: [ForwardingChain]) -> LiveReporter? {
        guard let stats = settings.stats else { return nil }
        var parts: [TrafficPart] = []
        if !settings.pattern.sharesOneSocket {
            parts.append(TrafficPart(name: "in_out", reading: chains[0]))
            if chains.count > 1 { parts.append(TrafficPart(name: "out_in", reading: chains[1])) }
        }
        return LiveReporter(stats: stats, reading: SummedTraffic(chains), parts: parts)
    }
}

/// The chains count on their own, from libnng's threads, with atomics.
extension ForwardingChain: TrafficReading {
    var messages: Int { forwarded }
    var bytes: Int { forwardedBytes }
}
