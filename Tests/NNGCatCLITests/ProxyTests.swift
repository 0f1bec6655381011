import Testing
import NNGCore
@testable import NNGCatCLI

@Suite("proxy")
struct ProxyTests {
    func proxy(_ words: [String]) throws -> ProxySettings {
        try SettingsBuilder.proxy(try ArgumentParser.parse(words, command: .proxy))
    }

    @Test("each pattern's raw sockets face the peers of its two sides")
    func sides() {
        let table: [(ProxyPattern, SocketProtocol, SocketProtocol, Bool)] = [
            (.pubsub, .sub0, .pub0, false),
            (.pipeline, .pull0, .push0, false),
            (.reqrep, .rep0, .req0, true),
            (.survey, .respondent0, .surveyor0, true),
            (.pair, .pair1, .pair1, true),
            (.bus, .bus0, .bus0, true),
        ]
        for (pattern, inside, outside, bothWays) in table {
            #expect(pattern.inProtocol == inside, "\(pattern)")
            #expect(pattern.outProtocol == outside, "\(pattern)")
            #expect(pattern.bothWays == bothWays, "\(pattern)")
            // The in side's socket receives what its peers send, the out side's sends it on.
            #expect(pattern.inProtocol.canReceive && pattern.outProtocol.canSend, "\(pattern)")
        }
        #expect(ProxyPattern.allCases.filter(\.sharesOneSocket) == [.bus])
        #expect(ProxyPattern.allCases.filter(\.outSideOptional) == [.bus])
    }

    @Test("the bare form listens on both sides; --in/--out listen, --in-dial/--out-dial dial")
    func endpoints() throws {
        let bare = try proxy(["pubsub", "ipc:///tmp/a", "ipc:///tmp/b"])
        #expect(bare.pattern == .pubsub)
        #expect(bare.inSide == .init(listens: ["ipc:///tmp/a"]))
        #expect(bare.outSide == .init(listens: ["ipc:///tmp/b"]))
        let named = try proxy(["reqrep", "--in", "tcp://127.0.0.1:1", "--in", "tcp://127.0.0.1:2", "--out-dial", "ipc:///tmp/r"])
        #expect(named.inSide == .init(listens: ["tcp://127.0.0.1:1", "tcp://127.0.0.1:2"]))
        #expect(named.outSide == .init(dials: ["ipc:///tmp/r"]))
        #expect(named.socket.dialPolicy == .retry)
        #expect(try proxy(["pair", "--in-dial", "ipc:///tmp/a", "--out", "ipc:///tmp/b", "--no-retry"]).socket.dialPolicy == .failFast)
        #expect(try proxy(["bus", "ipc:///tmp/a"]).outSide.isEmpty)
    }

    @Test("a missing or unknown pattern, a missing side, or both forms at once are usage errors")
    func refusals() {
        #expect(throws: UsageError.self) { try proxy([]) }
        #expect(throws: UsageError.self) { try proxy(["pubsib", "ipc:///tmp/a", "ipc:///tmp/b"]) }
        #expect(throws: UsageError.self) { try proxy(["pipeline", "ipc:///tmp/a"]) }
        #expect(throws: UsageError.self) { try proxy(["pipeline", "--out", "ipc:///tmp/a"]) }
        #expect(throws: UsageError.self) { try proxy(["pipeline", "ipc:///tmp/a", "ipc:///tmp/b", "--in", "ipc:///tmp/c"]) }
        #expect(throws: UsageError.self) { try proxy(["pipeline", "ipc:///tmp/a", "ipc:///tmp/b", "ipc:///tmp/c"]) }
        #expect(throws: UsageError.self) { try proxy(["pipeline", "ipc:///tmp/a", "ipc:///tmp/b", "--format", "json"]) }
        #expect(throws: UsageError.self) { try proxy(["pipeline", "ipc:///tmp/a", "ipc:///tmp/b", "--listen", "ipc:///tmp/c"]) }
    }

    @Test("--tap-match implies --tap and collects its prefixes")
    func tapMatch() throws {
        let settings = try proxy(["pipeline", "ipc:///tmp/a", "ipc:///tmp/b", "--tap-match", "x", "--tap-match", "yz", "--json"])
        #expect(settings.tap)
        #expect(settings.tapMatch == [bytes("x"), bytes("yz")])
        #expect(settings.socket.format == .json)
    }

    @Test("tap records: a side prefix, a \"from\" field in json, a msgpack string before the bin")
    func records() {
        func tap(_ body: String, _ side: ProxySide, _ format: OutputFormat) -> [UInt8] {
            var out = OutputBuffer()
            Array(body.utf8).withUnsafeBytes {
                TapRecordEncoder.encode($0, from: side, as: format, into: &out, separator: 0x0a, metadata: nil)
            }
            return out.bytes
        }
        #expect(tap("hi", .in, .line) == bytes("in: hi\n"))
        #expect(tap("hi", .out, .quoted) == bytes("out: \"hi\"\n"))
        #expect(tap("hi", .out, .json) == bytes("{\"data\":\"hi\",\"from\":\"out\"}\n"))
        #expect(tap("hi", .in, .msgpack) == [0xa2] + bytes("in") + [0xc4, 2] + bytes("hi"))
        #expect(tap("hi", .in, .no) == [])
    }

    @Test("the tap drops and counts what does not fit, and filters by prefix")
    func tapBound() {
        let tap = MessageTap(byteLimit: 64, prefixes: [bytes("k")])
        for body in ["keep-1", "skip", "keep-2", String(repeating: "k", count: 60)] {
            Array(body.utf8).withUnsafeBytes { tap.record($0, tag: 1, pipe: nil) }
        }
        #expect(tap.accepted == 2)
        #expect(tap.dropped == 1)
        var chunk: [UInt8] = []
        #expect(tap.take(into: &chunk))
        var seen: [String] = []
        MessageTap.forEachRecord(in: chunk) { tag, pipe, body in
            #expect(tag == 1 && pipe == nil)
            seen.append(String(decoding: body, as: UTF8.self))
        }
        #expect(seen == ["keep-1", "keep-2"])
        tap.finish()
        #expect(!tap.take(into: &chunk))
    }
}
