import NNGCore

/// How a probe's outcome prints: a block for people, or one JSON object a line.
enum ProbeReport {
    static func text(_ outcome: ProbeOutcome, settings: ProbeSettings) -> String {
        var lines: [String] = []
        switch outcome.finding {
        case .spPeer(let number, let proto):
            let name = proto.map { "\($0.rawValue) (\(number))" } ?? "an SP protocol unknown to NNG (\(number))"
            if outcome.peerDialed {
                let from = outcome.remoteAddress.map { " from \($0)" } ?? ""
                lines.append("\(outcome.url)  \(name) dialed in\(from) after \(milliseconds(outcome.elapsed)) ms")
            } else {
                lines.append("\(outcome.url)  \(name), answered in \(milliseconds(outcome.elapsed)) ms")
            }
            if let proto {
                lines.append("  talk to it: " + suggestion(for: proto, outcome, settings))
            }
            if let verified = outcome.tlsVerified {
                lines.append("  certificate: " + certificateText(verified: verified, settings: settings))
            }
        case .notSP(let reason, let bytes):
            lines.append("\(outcome.url)  not an SP peer: " + reason + (bytes.isEmpty ? "" : " " + quoted(bytes)))
        case .failed(let text), .timedOut(let text):
            lines.append("\(outcome.url)  " + text)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func json(_ outcome: ProbeOutcome, settings: ProbeSettings) -> String {
        var fields: [(String, String)] = [("url", string(outcome.url))]
        switch outcome.finding {
        case .spPeer(let number, let proto):
            fields.append(("ok", "true"))
            fields.append(("protocol", proto.map { string($0.rawValue) } ?? "null"))
            fields.append(("number", String(number)))
            fields.append(("ms", milliseconds(outcome.elapsed)))
            if let proto { fields.append(("suggestion", string(suggestion(for: proto, outcome, settings)))) }
        case .notSP(let reason, let bytes):
            fields.append(("ok", "false"))
            fields.append(("protocol", "null"))
            fields.append(("error", string("not an SP peer: " + reason + (bytes.isEmpty ? "" : " " + quoted(bytes)))))
            fields.append(("first_bytes_hex", string(bytes.map { hex($0) }.joined())))
        case .failed(let text), .timedOut(let text):
            fields.append(("ok", "false"))
            fields.append(("protocol", "null"))
            fields.append(("error", string(text)))
        }
        fields.append(("status", String(outcome.status.rawValue)))
        if outcome.peerDialed { fields.append(("dialed_in", "true")) }
        if let remote = outcome.remoteAddress { fields.append(("remote", string(remote))) }
        if let subprotocol = outcome.webSocketProtocol { fields.append(("ws_protocol", string(subprotocol))) }
        if let verified = outcome.tlsVerified {
            let insecure = settings.tls?.verification == TLSConfiguration.Verification.none
            fields.append(("tls_verified", verified && !insecure ? "true" : "false"))
        }
        return "{" + fields.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}\n"
    }

    static func suggestion(for proto: SocketProtocol, _ outcome: ProbeOutcome, _ settings: ProbeSettings) -> String {
        ProbeSuggestion.command(for: proto, url: outcome.url, peerDialed: outcome.peerDialed, extra: settings.tlsArguments)
    }

    /// libnng 1.5.2 tells only whether the certificate was verified: no
    /// option gives its subject, issuer or expiry (NNG_OPT_TLS_PEER_CN came later).
    /// With verification off it still says "verified" (mbedTLS reports no
    /// failure of a check it never made), so --insecure decides.
    static func certificateText(verified: Bool, settings: ProbeSettings) -> String {
        let insecure = settings.tls?.verification == TLSConfiguration.Verification.none
        let state = insecure ? "not verified (--insecure)" : (verified ? "verified" : "not verified")
        return state + "; subject, issuer and expiry are not exposed by libnng \(NNGLibrary.version)"
    }

    /// Milliseconds with one decimal: `0.4`.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let tenths = (seconds * 10_000 + attoseconds / 100_000_000_000_000 + (attoseconds / 10_000_000_000_000 % 10 >= 5 ? 1 : 0))
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// The bytes in our quoted format: `"SSH-2.0-OpenSSH\r\n"`.
    static func quoted(_ bytes: [UInt8]) -> String {
        var out = OutputBuffer()
        bytes.withUnsafeBytes { MessageEncoder.encode($0, as: .quoted, into: &out) }
        return String(decoding: out.bytes.dropLast(), as: UTF8.self)
    }

    private static func string(_ text: String) -> String {
        var out = OutputBuffer()
        Array(text.utf8).withUnsafeBytes { JSONEncoding.appendString($0, into: &out) }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }
}
