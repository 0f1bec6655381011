/// How each protocol names itself on the wire: the number in the 8-byte SP
/// header that tcp, ipc and tls+tcp peers exchange first, and the WebSocket
/// subprotocol that ws/wss peers agree on instead.
extension SocketProtocol {
    /// The protocol number (NNG's `NNI_PROTO`): pair0 16, pub0 32, rep0 49 …
    public var number: UInt16 {
        switch self {
        case .pair0: 16
        case .pair1: 17
        case .pub0: 32
        case .sub0: 33
        case .req0: 48
        case .rep0: 49
        case .push0: 80
        case .pull0: 81
        case .surveyor0: 98
        case .respondent0: 99
        case .bus0: 112
        }
    }

    public init?(number: UInt16) {
        guard let match = Self.allCases.first(where: { $0.number == number }) else { return nil }
        self = match
    }

    /// The name libnng gives the protocol (`pair` for pair0, `pair1`, `rep` …).
    public var wireName: String { self == .pair0 ? "pair" : shortName }

    /// The WebSocket subprotocol a listener of this protocol accepts: `rep.sp.nanomsg.org`.
    public var webSocketName: String { wireName + ".sp.nanomsg.org" }

    public init?(webSocketName: String) {
        guard let match = Self.allCases.first(where: { $0.webSocketName == webSocketName.lowercased() }) else { return nil }
        self = match
    }
}
