internal import CNNG

/// How an `nng_sockaddr` prints: `127.0.0.1:5555`, `[::1]:5555`, `/tmp/sock`.
enum SocketAddressText {
    static func describe(_ address: nng_sockaddr) -> String? {
        switch Int(address.s_family) {
        case Int(NNG_AF_INET.rawValue):
            // Both fields are in network byte order.
            let host = UInt32(bigEndian: address.s_in.sa_addr)
            let octets = [24, 16, 8, 0].map { String((host >> UInt32($0)) & 0xff) }
            return octets.joined(separator: ".") + ":" + String(UInt16(bigEndian: address.s_in.sa_port))
        case Int(NNG_AF_INET6.rawValue):
            var bytes = address.s_in6.sa_addr
            let groups = withUnsafeBytes(of: &bytes) { raw in
                stride(from: 0, to: 16, by: 2).map { String(UInt16(raw[$0]) << 8 | UInt16(raw[$0 + 1]), radix: 16) }
            }
            return "[" + compressed(groups) + "]:" + String(UInt16(bigEndian: address.s_in6.sa_port))
        case Int(NNG_AF_IPC.rawValue):
            var path = address.s_ipc.sa_path
            return withUnsafeBytes(of: &path) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        default:
            return nil
        }
    }

    /// RFC 5952's short form: the longest run of two or more zero groups becomes `::`.
    static func compressed(_ groups: [String]) -> String {
        var best: Range<Int>?
        var index = 0
        while index < groups.count {
            guard groups[index] == "0" else { index += 1; continue }
            var end = index
            while end < groups.count && groups[end] == "0" { end += 1 }
            if end - index >= 2 && end - index > (best?.count ?? 0) { best = index..<end }
            index = end
        }
        guard let best else { return groups.joined(separator: ":") }
        return groups[..<best.lowerBound].joined(separator: ":") + "::" + groups[best.upperBound...].joined(separator: ":")
    }
}
