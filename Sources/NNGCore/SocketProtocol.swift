internal import CNNG

/// The scalability protocols of NNG 1.x, one case per wire protocol version.
public enum SocketProtocol: String, CaseIterable, Sendable {
    case pub0, sub0, req0, rep0, push0, pull0, pair0, pair1, bus0, surveyor0, respondent0

    /// The protocol a peer must speak to talk to this one.
    public var peer: SocketProtocol {
        switch self {
        case .pub0: .sub0
        case .sub0: .pub0
        case .req0: .rep0
        case .rep0: .req0
        case .push0: .pull0
        case .pull0: .push0
        case .pair0: .pair0
        case .pair1: .pair1
        case .bus0: .bus0
        case .surveyor0: .respondent0
        case .respondent0: .surveyor0
        }
    }

    /// Whether a socket of this protocol can send / receive at all.
    public var canSend: Bool { self != .sub0 && self != .pull0 }
    public var canReceive: Bool { self != .pub0 && self != .push0 }

    /// Whether a send waits until a peer can take the message (push, req,
    /// pair); pub, bus and surveyor sockets drop it at once when nobody is connected.
    public var sendWaitsForPeer: Bool {
        switch self {
        case .push0, .req0, .pair0, .pair1: true
        default: false
        }
    }

    /// Protocols whose sockets support `nng_ctx` contexts.
    public var supportsContexts: Bool {
        switch self {
        case .req0, .rep0, .surveyor0, .respondent0, .sub0: true
        default: false
        }
    }

    /// The protocol name without its version, as users type it: `pub`, `pair`.
    public var shortName: String {
        switch self {
        case .pair0, .pair1: rawValue
        default: String(rawValue.dropLast())
        }
    }

    // The versioned open functions: the alias macros (`nng_pub_open`) do not import.
    func open(_ socket: inout nng_socket) -> Int32 {
        switch self {
        case .pub0: nng_pub0_open(&socket)
        case .sub0: nng_sub0_open(&socket)
        case .req0: nng_req0_open(&socket)
        case .rep0: nng_rep0_open(&socket)
        case .push0: nng_push0_open(&socket)
        case .pull0: nng_pull0_open(&socket)
        case .pair0: nng_pair0_open(&socket)
        case .pair1: nng_pair1_open(&socket)
        case .bus0: nng_bus0_open(&socket)
        case .surveyor0: nng_surveyor0_open(&socket)
        case .respondent0: nng_respondent0_open(&socket)
        }
    }
}
