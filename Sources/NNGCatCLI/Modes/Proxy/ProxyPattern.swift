import NNGCore

/// What `nngcat proxy PATTERN` forwards, and with which raw sockets.
///
/// `in` is where messages come from, `out` where they go; replies and survey
/// responses travel back from `out` to `in`. Each side's socket is the peer
/// of the protocol its peers speak: publishers on the in side talk to a sub0.
enum ProxyPattern: String, CaseIterable, Sendable {
    case pubsub, pipeline, reqrep, survey, pair, bus

    /// The raw socket facing the in side's peers.
    var inProtocol: SocketProtocol {
        switch self {
        case .pubsub: .sub0
        case .pipeline: .pull0
        case .reqrep: .rep0
        case .survey: .respondent0
        case .pair: .pair1
        case .bus: .bus0
        }
    }

    /// The raw socket facing the out side's peers (for bus, the same socket as the in side's).
    var outProtocol: SocketProtocol {
        switch self {
        case .pubsub: .pub0
        case .pipeline: .push0
        case .reqrep: .req0
        case .survey: .surveyor0
        case .pair: .pair1
        case .bus: .bus0
        }
    }

    /// Whether messages also travel from out to in (replies, responses, the other pair peer).
    var bothWays: Bool {
        switch self {
        case .pubsub, .pipeline: false
        case .reqrep, .survey, .pair, .bus: true
        }
    }

    /// bus: one raw bus0 socket holds both sides' endpoints and reflects
    /// every message to every peer but its sender.
    var sharesOneSocket: Bool { self == .bus }

    /// Whether the out side may have no endpoint at all.
    var outSideOptional: Bool { self == .bus }

    /// Who connects on each side, for help and messages.
    var peers: (in: String, out: String) {
        switch self {
        case .pubsub: ("publishers", "subscribers")
        case .pipeline: ("pushers", "pullers")
        case .reqrep: ("requesters", "repliers")
        case .survey: ("surveyors", "respondents")
        case .pair: ("one pair1 peer", "one pair1 peer")
        case .bus: ("bus peers", "more bus peers")
        }
    }

    static var names: [String] { allCases.map(\.rawValue) }
}

/// The two sides of a proxy, as `--tap` records and `-v` notes name them.
enum ProxySide: UInt8, Sendable {
    case `in` = 1
    case out = 2

    var label: String { self == .in ? "in" : "out" }
}
