import NNGCore
import Synchronization

/// Over ws/wss there is no SP header: an NNG listener accepts exactly one
/// subprotocol, its own (`rep.sp.nanomsg.org`), and answers 400 to a handshake
/// asking for any other. So one handshake per protocol, all at once: the one
/// that succeeds names the peer. Rejected handshakes never reach the peer's
/// socket; the accepted one does, as a pipe, for the moment before we close it.
struct WebSocketProbe: Sendable {
    let settings: ProbeSettings

    /// The attempts' threads append here; read after all are joined.
    private final class AttemptLog: Sendable {
        let items = Mutex<[Attempt]>([])
    }

    private struct Attempt: Sendable {
        var proto: SocketProtocol
        var error: NNGError?
        var elapsed: Duration = .zero
        var remoteAddress: String?
        var tlsVerified: Bool?
    }

    func dial(_ url: String) -> ProbeOutcome {
        let start = ContinuousClock.now
        let timeout = Timeout.after(settings.timeout)
        let attempts = AttemptLog()
        let tls = settings.tls
        let threads = SocketProtocol.allCases.map { proto in
            JoinableThread {
                var attempt = Attempt(proto: proto)
                do throws(NNGError) {
                    let dialer = try StreamDialer(url: url, tls: tls, webSocketProtocol: proto.webSocketName)
                    defer { dialer.close() }
                    let stream = try dialer.dial(timeout: timeout)
                    attempt.elapsed = ContinuousClock.now - start
                    attempt.remoteAddress = stream.remoteAddress
                    attempt.tlsVerified = stream.tlsVerified
                    stream.close()
                } catch {
                    attempt.error = error
                }
                attempts.items.withLock { $0.append(attempt) }
            }
        }
        for thread in threads { thread.join() }
        let results = attempts.items.withLock { $0 }.sorted { $0.proto.number < $1.proto.number }
        return outcome(url, results)
    }

    private func outcome(_ url: String, _ results: [Attempt]) -> ProbeOutcome {
        var outcome = ProbeOutcome(url: url, peerDialed: false, finding: .failed(""))
        let accepted = results.filter { $0.error == nil }
        if accepted.count == 1, let only = accepted.first {
            outcome.finding = .spPeer(number: only.proto.number, protocol: only.proto)
            outcome.elapsed = only.elapsed
            outcome.remoteAddress = only.remoteAddress
            outcome.tlsVerified = only.tlsVerified
            outcome.webSocketProtocol = only.proto.webSocketName
            return outcome
        }
        if accepted.count > 1 {
            outcome.finding = .notSP(reason: "it accepted \(accepted.count) of the 11 SP subprotocols; an SP peer accepts one", firstBytes: [])
            return outcome
        }
        let errors = results.compactMap(\.error)
        // Refusals of the subprotocol (400) only: something speaks WebSocket or HTTP there, not SP.
        if !errors.isEmpty, errors.allSatisfy({ $0.code == .protocolError }) {
            outcome.finding = .notSP(reason: "it refused the WebSocket handshake for every SP subprotocol", firstBytes: [])
            return outcome
        }
        let first = errors.first { $0.code != .protocolError } ?? errors.first ?? NNGError(.protocolError, operation: "dial", url: url)
        outcome.finding = Prober(settings: settings).finding(for: first, url: url)
        return outcome
    }
}
