import NNGCore
import Testing

/// Message: an owned body, built and read without surprises.
@Suite("Messages", .timeLimit(.minutes(1)))
struct MessageTests {
    @Test("bodies built from bytes, strings and in place read back exactly")
    func construction() throws {
        let empty = try Message([UInt8]())
        #expect(empty.count == 0)
        #expect(empty.bytes == [])

        let text = try Message(string: "héllo")
        #expect(text.count == 6)
        #expect(text.bytes == Array("héllo".utf8))

        let raw: [UInt8] = [0, 1, 2, 255]
        let fromBuffer = try raw.withUnsafeBytes { buffer in try Message(bytes: buffer).bytes }
        #expect(fromBuffer == raw)

        let emptyBuffer = try [UInt8]().withUnsafeBytes { buffer in try Message(bytes: buffer).count }
        #expect(emptyBuffer == 0)

        let filled = try Message(count: 4) { $0.copyBytes(from: [9, 8, 7, 6]) }
        #expect(filled.bytes == [9, 8, 7, 6])

        let big = pattern(oneMiB, seed: 5)
        let large = try Message(big)
        let problem = mismatch(large, big)
        #expect(problem == nil)
    }

    @Test("append grows the body and clearBody empties it")
    func mutation() throws {
        var message = try Message(string: "ab")
        let tail: [UInt8] = Array("cd".utf8)
        try tail.withUnsafeBytes { buffer in try message.append(buffer) }
        try [UInt8]().withUnsafeBytes { buffer in try message.append(buffer) }
        #expect(message.bytes == Array("abcd".utf8))
        message.clearBody()
        #expect(message.count == 0)
    }

    @Test("withUnsafeBytes borrows the body without copying")
    func borrowing() throws {
        let message = try Message(string: "xyz")
        let sum = message.withUnsafeBytes { $0.reduce(0) { $0 + Int($1) } }
        #expect(sum == Int(UInt8(ascii: "x")) + Int(UInt8(ascii: "y")) + Int(UInt8(ascii: "z")))
    }

    @Test("every protocol opens, and its peer's peer is itself", arguments: SocketProtocol.allCases)
    func protocols(proto: SocketProtocol) throws {
        let socket = try Socket(proto)
        #expect(socket.socketProtocol == proto)
        #expect(!socket.isClosed)
        socket.close()
        socket.close()
        #expect(socket.isClosed)
        #expect(proto.peer.peer == proto)
        #expect(proto.canSend || proto.canReceive)
        #expect(!proto.shortName.isEmpty)
    }

    @Test("short names are what users type")
    func shortNames() {
        #expect(SocketProtocol.pub0.shortName == "pub")
        #expect(SocketProtocol.pair1.shortName == "pair1")
        #expect(SocketProtocol.surveyor0.shortName == "surveyor")
    }
}
