import NNGCore
import Testing
@testable import NNGCatCLI

@Suite("probe: SP header, suggestions, statuses")
struct ProbeTests {
    @Test("every protocol's header parses back to it", arguments: SocketProtocol.allCases)
    func roundTrip(proto: SocketProtocol) {
        #expect(SPHeader.parse(SPHeader.bytes(for: proto)) == .header(number: proto.number, protocol: proto))
    }

    @Test("rep0's header is 00 53 50 00 00 31 00 00")
    func repBytes() {
        #expect(SPHeader.bytes(for: .rep0) == [0x00, 0x53, 0x50, 0x00, 0x00, 0x31, 0x00, 0x00])
        #expect(SocketProtocol(number: 49) == .rep0)
        #expect(SocketProtocol(number: 50) == nil)
    }

    @Test("partial, foreign and unknown headers", arguments: [
        ([], SPHeader.Verdict.incomplete),
        ([0x00, 0x53, 0x50], .incomplete),
        ([0x00, 0x53, 0x50, 0x00, 0x00, 0x31, 0x00], .incomplete),
        (Array("SSH-2.0-".utf8), .notSP),
        (Array("HTTP/1.0 200 OK".utf8), .notSP),
        ([0x00, 0x53, 0x51], .notSP),
        ([0x00, 0x53, 0x50, 0x00, 0x00, 0x31, 0x01, 0x00], .notSP),     // reserved bytes must be zero
        ([0x00, 0x53, 0x50, 0x00, 0x00, 0x31, 0x00], .incomplete),
        ([0x00, 0x53, 0x50, 0x00, 0x12, 0x34, 0x00, 0x00], .header(number: 0x1234, protocol: nil)),
        ([0x00, 0x53, 0x50, 0x00, 0x00, 0x70, 0x00, 0x00, 0xff], .header(number: 112, protocol: .bus0)),
    ] as [([UInt8], SPHeader.Verdict)])
    func verdicts(bytes: [UInt8], verdict: SPHeader.Verdict) {
        #expect(SPHeader.parse(bytes) == verdict)
    }

    @Test("WebSocket subprotocol names are libnng's", arguments: [
        (SocketProtocol.rep0, "rep.sp.nanomsg.org"), (.pair0, "pair.sp.nanomsg.org"),
        (.pair1, "pair1.sp.nanomsg.org"), (.surveyor0, "surveyor.sp.nanomsg.org"), (.bus0, "bus.sp.nanomsg.org"),
    ])
    func webSocketNames(proto: SocketProtocol, name: String) {
        #expect(proto.webSocketName == name)
        #expect(SocketProtocol(webSocketName: name.uppercased()) == proto)
    }

    static let url = "tcp://127.0.0.1:5555"

    @Test("the suggestion dials a listening peer with the complementary protocol", arguments: [
        (SocketProtocol.rep0, "nngcat send --req tcp://127.0.0.1:5555 MESSAGE"),
        (.req0, "nngcat listen --rep --dial tcp://127.0.0.1:5555 --echo"),
        (.pub0, "nngcat listen --sub tcp://127.0.0.1:5555"),
        (.sub0, "nngcat send --pub --dial tcp://127.0.0.1:5555 MESSAGE"),
        (.pull0, "nngcat send --push tcp://127.0.0.1:5555 MESSAGE"),
        (.push0, "nngcat listen --pull --dial tcp://127.0.0.1:5555"),
        (.surveyor0, "nngcat listen --respondent tcp://127.0.0.1:5555 --echo"),
        (.respondent0, "nngcat send --surveyor --dial tcp://127.0.0.1:5555 MESSAGE"),
        (.pair0, "nngcat repl --pair0 tcp://127.0.0.1:5555"),
        (.pair1, "nngcat repl --pair tcp://127.0.0.1:5555"),
        (.bus0, "nngcat repl --bus tcp://127.0.0.1:5555"),
    ])
    func dialed(peer: SocketProtocol, command: String) {
        #expect(ProbeSuggestion.command(for: peer, url: Self.url, peerDialed: false) == command)
    }

    @Test("the suggestion listens for a peer that dialed in", arguments: [
        (SocketProtocol.rep0, "nngcat send --req --listen tcp://127.0.0.1:5555 MESSAGE"),
        (.req0, "nngcat listen --rep tcp://127.0.0.1:5555 --echo"),
        (.push0, "nngcat listen --pull tcp://127.0.0.1:5555"),
        (.pull0, "nngcat send --push --listen tcp://127.0.0.1:5555 MESSAGE"),
        (.sub0, "nngcat send --pub tcp://127.0.0.1:5555 MESSAGE"),
        (.bus0, "nngcat repl --bus --listen tcp://127.0.0.1:5555"),
    ])
    func dialedIn(peer: SocketProtocol, command: String) {
        #expect(ProbeSuggestion.command(for: peer, url: Self.url, peerDialed: true) == command)
    }

    @Test("TLS options given to probe carry over into the suggestion")
    func tlsCarriesOver() {
        #expect(ProbeSuggestion.command(for: .rep0, url: "tls+tcp://h:1", peerDialed: false, extra: ["--cacert", "ca.pem"])
                == "nngcat send --req tls+tcp://h:1 --cacert ca.pem MESSAGE")
    }

    @Test("a refusal outranks a timeout, which outranks success")
    func worst() {
        #expect(ProbeOutcome.worst([.success, .timeout, .failure, .success]) == .failure)
        #expect(ProbeOutcome.worst([.success, .timeout]) == .timeout)
        #expect(ProbeOutcome.worst([.success, .success]) == .success)
    }

    @Test("milliseconds print with one decimal, rounded")
    func milliseconds() {
        #expect(ProbeReport.milliseconds(.microseconds(412)) == "0.4")
        #expect(ProbeReport.milliseconds(.microseconds(450)) == "0.5")
        #expect(ProbeReport.milliseconds(.milliseconds(1234)) == "1234.0")
    }
}
