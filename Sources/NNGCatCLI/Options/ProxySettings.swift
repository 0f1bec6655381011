/// `proxy`, validated.
struct ProxySettings: Sendable {
    /// The endpoints of one side: URLs to listen on and URLs to dial.
    struct Side: Sendable, Equatable {
        var listens: [String] = []
        var dials: [String] = []
        var isEmpty: Bool { listens.isEmpty && dials.isEmpty }
    }

    var pattern: ProxyPattern
    var inSide = Side()
    var outSide = Side()
    /// Everything else both sockets share: TLS, dial policy, --recv-maxsz,
    /// reconnect times, -v/-q, and the tap's --format.
    var socket: SocketSettings
    var tap = false
    var tapMatch: [[UInt8]] = []
    /// `--stats`: counts per direction, which needs the forwarding chains.
    var stats: StatsSettings?

    /// Whether to forward with our chains (which can show and count each
    /// message) rather than libnng's `nng_device` (which cannot).
    var needsChains: Bool { tap || stats != nil || socket.verbose }
}
