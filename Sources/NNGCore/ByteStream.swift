internal import CNNG

/// One connected byte stream (tcp, ipc, tls+tcp, ws, wss) below the SP
/// protocols: what a peer sends before any message, read as plain bytes.
/// Thread-confined: one thread dials, reads, and closes it.
/// The corresponding C type is `nng_stream`.
public final class ByteStream {
    let raw: OpaquePointer
    /// The URL dialed or listened on, for error texts.
    public let url: String
    private let aio: StreamAIO
    private var closed = false

    init(adopting raw: OpaquePointer, url: String) throws(NNGError) {
        do {
            aio = try StreamAIO()
        } catch {
            nng_stream_free(raw)
            throw error
        }
        self.raw = raw
        self.url = url
    }

    deinit { close() }

    /// Receives whatever arrives first, at most `limit` bytes; an empty array
    /// never returns: a peer that closes gives `.closed` or `.connectionShutdown`.
    /// The corresponding C function is `nng_stream_recv`.
    public func receive(upTo limit: Int, timeout: Timeout) throws(NNGError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max(1, limit))
        let stream = raw
        // The buffer must stay put until the receive completes: the wait happens inside.
        let outcome = buffer.withUnsafeMutableBytes { bytes in
            Result { () throws(NNGError) -> Int in
                var vector = nng_iov(iov_buf: bytes.baseAddress, iov_len: bytes.count)
                try check(nng_aio_set_iov(aio.handle, 1, &vector), "receive", url: url)
                try aio.run("receive", url: url, timeout: timeout) { nng_stream_recv(stream, $0) }
                return aio.count
            }
        }
        return Array(buffer.prefix(try outcome.get()))
    }

    /// Sends all of `bytes` (a stream may take them in several pieces).
    /// The corresponding C function is `nng_stream_send`.
    public func send(_ bytes: [UInt8], timeout: Timeout) throws(NNGError) {
        var offset = 0
        let stream = raw
        while offset < bytes.count {
            var copy = Array(bytes[offset...])
            let sent = try copy.withUnsafeMutableBytes { pointer in
                Result { () throws(NNGError) -> Int in
                    var vector = nng_iov(iov_buf: pointer.baseAddress, iov_len: pointer.count)
                    try check(nng_aio_set_iov(aio.handle, 1, &vector), "send", url: url)
                    try aio.run("send", url: url, timeout: timeout) { nng_stream_send(stream, $0) }
                    return aio.count
                }
            }.get()
            if sent <= 0 { throw NNGError(.closed, operation: "send", url: url) }
            offset += sent
        }
    }

    /// The peer's address: `127.0.0.1:5555`, `[::1]:5555`, or an ipc path.
    /// nil where the transport has none. The corresponding option is `NNG_OPT_REMADDR`.
    public var remoteAddress: String? {
        var address = nng_sockaddr()
        guard nng_stream_get_addr(raw, NNG_OPT_REMADDR, &address) == 0 else { return nil }
        return SocketAddressText.describe(address)
    }

    /// Over TLS: whether the peer's certificate was verified; nil on other
    /// transports. The corresponding option is `NNG_OPT_TLS_VERIFIED`.
    public var tlsVerified: Bool? {
        var verified = false
        guard nng_stream_get_bool(raw, NNG_OPT_TLS_VERIFIED, &verified) == 0 else { return nil }
        return verified
    }

    /// Over ws/wss: the subprotocol agreed in the handshake (`rep.sp.nanomsg.org`).
    /// The corresponding option is `NNG_OPT_WS_PROTOCOL`.
    /// A server-side stream of libnng 1.5.2 does not answer that option: the
    /// client's request header says the same.
    public var webSocketProtocol: String? {
        stringOption(NNG_OPT_WS_PROTOCOL) ?? stringOption(NNG_OPT_WS_REQUEST_HEADER + "Sec-WebSocket-Protocol")
    }

    private func stringOption(_ name: String) -> String? {
        var text: UnsafeMutablePointer<CChar>?
        guard nng_stream_get_string(raw, name, &text) == 0, let text else { return nil }
        defer { nng_strfree(text) }
        return text.pointee == 0 ? nil : String(cString: text)
    }

    /// Closes the connection and frees the stream. Idempotent.
    /// The corresponding C functions are `nng_stream_close` and `nng_stream_free`.
    public func close() {
        guard !closed else { return }
        closed = true
        aio.close()
        nng_stream_close(raw)
        nng_stream_free(raw)
    }
}
