import NNGCore

/// Text about the session's state, computed when asked so it is never stale.
extension ReplSession {
    var prompt: String {
        let proto = settings.socketProtocol
        var endpoint = endpoints.first?.url
        if let first = endpoint, endpoints.count > 1 { endpoint = first + " +\(endpoints.count - 1)" }
        return console.prompt(protocol: proto.shortName, endpoint: endpoint)
    }

    var statusText: String {
        let proto = settings.socketProtocol
        let connected = peers.connected
        var text = "protocol: \(proto.shortName) (\(proto.rawValue))\n"
        if endpoints.isEmpty {
            text += "endpoints: none (use .dial URL or .listen URL)\n"
        } else {
            text += "endpoints:\n"
            for endpoint in endpoints {
                text += "  \(endpoint.kind.rawValue.padding(6)) \(endpoint.url)  \(state(of: endpoint, connected: connected))\n"
            }
        }
        text += "peers: \(connected.count) connected\(connected.isEmpty ? "" : " (" + connected.joined(separator: ", ") + ")")\n"
        text += "messages: \(received) in, \(sent) out\n"
        if proto == .sub0 {
            var shown = topics.map { "'" + String(decoding: $0, as: UTF8.self) + "'" }
            if everything { shown.insert("everything", at: 0) }
            text += "subscriptions: \(shown.isEmpty ? "none" : shown.joined(separator: ", "))\n"
        }
        text += "format: \(settings.format.rawValue); timeout: send \(DurationText.format(sendTimeout)), reply \(DurationText.format(replyTimeout))\n"
        switch phase {
        case .sending?: text += "in flight: a send\n"
        case .awaitingReply?: text += "in flight: waiting for a reply\n"
        case .surveying?: text += "in flight: collecting survey responses\n"
        case nil: break
        }
        return text
    }

    /// A dialer counts as connected when a peer has the address it dialed.
    private func state(of endpoint: ReplEndpoint, connected: [String]) -> String {
        switch endpoint.kind {
        case .listen:
            let port = endpoint.url.hasSuffix(":0") ? endpoint.listener?.port.map { ", port \($0)" } ?? "" : ""
            return "listening\(port)"
        case .dial:
            let address = endpoint.url.firstRange(of: "://").map { String(endpoint.url[$0.upperBound...]) } ?? endpoint.url
            if connected.contains(address) { return "connected" }
            if endpoint.retrying || settings.dialPolicy == .background { return "waiting for the peer (dialing in the background)" }
            return "dialed (reconnects if dropped)"
        }
    }
}

fileprivate extension StringProtocol {
    func padding(_ width: Int) -> String {
        count >= width ? String(self) : String(self) + String(repeating: " ", count: width - count)
    }
}
