import NNGCore

/// The 8 bytes every SP peer sends first over tcp, ipc and tls+tcp:
/// `00 53 50 00 PP PP 00 00` (`\0SP\0`, the protocol number big-endian, two zeros).
enum SPHeader {
    static let length = 8

    enum Verdict: Equatable {
        /// A whole header: the number, and the protocol when it is one NNG knows.
        case header(number: UInt16, protocol: SocketProtocol?)
        /// Fewer than 8 bytes so far, all as a header would begin.
        case incomplete
        /// Bytes no SP header starts with.
        case notSP
    }

    static func parse(_ bytes: some Collection<UInt8>) -> Verdict {
        let fixed: [Int: UInt8] = [0: 0x00, 1: 0x53, 2: 0x50, 3: 0x00, 6: 0x00, 7: 0x00]
        for (index, byte) in bytes.prefix(length).enumerated() {
            if let expected = fixed[index], expected != byte { return .notSP }
        }
        guard bytes.count >= length else { return .incomplete }
        let header = Array(bytes.prefix(length))
        let number = UInt16(header[4]) << 8 | UInt16(header[5])
        return .header(number: number, protocol: SocketProtocol(number: number))
    }

    /// The header a peer of `proto` sends.
    static func bytes(for proto: SocketProtocol) -> [UInt8] {
        [0x00, 0x53, 0x50, 0x00, UInt8(proto.number >> 8), UInt8(proto.number & 0xff), 0x00, 0x00]
    }
}
