import NNGCore

/// The command that talks to a probed peer: its complementary protocol, in
/// our syntax, on the side the peer leaves free (it listened, so we dial; it
/// dialed in, so we listen). A bare URL is used where the command's default
/// side is already the right one.
enum ProbeSuggestion {
    /// `peerDialed`: the peer dialed in to `probe --listen`.
    static func command(for peer: SocketProtocol, url: String, peerDialed: Bool, extra: [String] = []) -> String {
        let (command, flag, bareListens, tail): (String, String, Bool, String) = switch peer {
        case .rep0: ("send", "--req", false, "MESSAGE")
        case .req0: ("listen", "--rep", true, "--echo")
        case .pub0: ("listen", "--sub", false, "")
        case .sub0: ("send", "--pub", true, "MESSAGE")
        case .pull0: ("send", "--push", false, "MESSAGE")
        case .push0: ("listen", "--pull", true, "")
        case .surveyor0: ("listen", "--respondent", false, "--echo")
        case .respondent0: ("send", "--surveyor", true, "MESSAGE")
        case .pair0: ("repl", "--pair0", false, "")
        case .pair1: ("repl", "--pair", false, "")
        case .bus0: ("repl", "--bus", false, "")
        }
        // The peer listens when we dialed it: then we must dial, and the other way round.
        let weListen = peerDialed
        let endpoint = weListen == bareListens ? url : (weListen ? "--listen " : "--dial ") + url
        return (["nngcat", command, flag, endpoint] + extra + (tail.isEmpty ? [] : [tail])).joined(separator: " ")
    }
}
