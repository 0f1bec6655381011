import NNGCore

/// What probing one URL found.
struct ProbeOutcome: Sendable {
    enum Finding: Sendable {
        /// An SP peer: its protocol number, and the protocol when NNG knows it.
        case spPeer(number: UInt16, protocol: SocketProtocol?)
        /// Something answered, but not as an SP peer: why, and the first bytes it sent.
        case notSP(reason: String, firstBytes: [UInt8])
        /// A dial, accept or read failed (refused, unreachable, TLS): the text as send prints it.
        case failed(String)
        /// Nothing within --connect-timeout.
        case timedOut(String)
    }

    let url: String
    /// The peer dialed in to `probe --listen`.
    let peerDialed: Bool
    var finding: Finding
    /// From the start of the dial (or of the wait) to the whole header.
    var elapsed: Duration = .zero
    var remoteAddress: String?
    /// Over TLS: whether the peer's certificate was verified.
    var tlsVerified: Bool?
    /// Over ws/wss: the subprotocol agreed.
    var webSocketProtocol: String?

    init(url: String, peerDialed: Bool, finding: Finding) {
        self.url = url
        self.peerDialed = peerDialed
        self.finding = finding
    }

    var status: ExitStatus {
        switch finding {
        case .spPeer: .success
        case .notSP, .failed: .failure
        case .timedOut: .timeout
        }
    }

    /// Several URLs: a definite failure (1) outranks a timeout (3), which
    /// outranks success (0). A refusal or a non-SP answer needs fixing; a
    /// timeout may only mean slow.
    static func worst(_ statuses: [ExitStatus]) -> ExitStatus {
        func rank(_ status: ExitStatus) -> Int {
            switch status {
            case .success: 0
            case .timeout: 1
            case .failure: 2
            default: 3
            }
        }
        return statuses.max { rank($0) < rank($1) } ?? .success
    }
}
