internal import CNNG

/// One connection between a socket and a peer. The corresponding C type is `nng_pipe`.
public struct Pipe: Hashable, Sendable {
    public let id: UInt32

    /// The peer's address, e.g. `127.0.0.1:40312` or `/tmp/x.sock`, when the
    /// transport knows it. The corresponding C function is `nng_pipe_get_addr`.
    public var remoteAddress: String? {
        var address = nng_sockaddr()
        guard nng_pipe_get_addr(nng_pipe(id: id), NNG_OPT_REMADDR, &address) == 0 else { return nil }
        return SocketAddressFormatter.string(from: address)
    }
}

enum SocketAddressFormatter {
    static func string(from address: nng_sockaddr) -> String? {
        switch Int(address.s_family) {
        case Int(NNG_AF_INET.rawValue):
            let ip = UInt32(bigEndian: address.s_in.sa_addr)
            let port = UInt16(bigEndian: address.s_in.sa_port)
            return "\(ip >> 24).\((ip >> 16) & 0xff).\((ip >> 8) & 0xff).\(ip & 0xff):\(port)"
        case Int(NNG_AF_INET6.rawValue):
            let port = UInt16(bigEndian: address.s_in6.sa_port)
            var bytes = address.s_in6.sa_addr
            let groups = withUnsafeBytes(of: &bytes) { raw in
                stride(from: 0, to: 16, by: 2).map { String(UInt16(raw[$0]) << 8 | UInt16(raw[$0 + 1]), radix: 16) }
            }
            return "[\(groups.joined(separator: ":"))]:\(port)"
        case Int(NNG_AF_IPC.rawValue):
            var path = address.s_ipc.sa_path
            return withUnsafeBytes(of: &path) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        case Int(NNG_AF_INPROC.rawValue):
            var name = address.s_inproc.sa_name
            return withUnsafeBytes(of: &name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        default:
            return nil
        }
    }
}
