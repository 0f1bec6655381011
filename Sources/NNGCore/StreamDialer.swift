internal import CNNG

/// Dials byte streams to one URL, below the SP protocols: a connection that
/// the peer's SP socket sees only while it negotiates.
/// The corresponding C type is `nng_stream_dialer`.
public final class StreamDialer {
    let raw: OpaquePointer
    public let url: String
    private var closed = false

    /// `tls` applies to tls+tcp and wss URLs (the server name defaults to the
    /// URL's host, as `Socket.dial` does); `webSocketProtocol` is the
    /// subprotocol a ws/wss dial asks for, and the server must accept.
    /// The corresponding C function is `nng_stream_dialer_alloc`.
    public init(url: String, tls: TLSConfiguration? = nil, webSocketProtocol: String? = nil) throws(NNGError) {
        var pointer: OpaquePointer?
        do { try check(nng_stream_dialer_alloc(&pointer, url), "dial", url: url) } catch {
            var failure = error
            failure.duringEndpointCreation = true
            throw failure
        }
        raw = pointer!
        self.url = url
        do {
            if var tls, Endpoint.usesTLS(url) {
                if tls.serverName == nil { tls.serverName = Endpoint.host(of: url) }
                let config = try tls.make(forServer: false)
                defer { nng_tls_config_free(config) }
                try check(nng_stream_dialer_set_ptr(raw, NNG_OPT_TLS_CONFIG, UnsafeMutableRawPointer(config)), "dial", url: url)
            }
            if let webSocketProtocol {
                try check(nng_stream_dialer_set_string(raw, NNG_OPT_WS_PROTOCOL, webSocketProtocol), "dial", url: url)
            }
        } catch {
            nng_stream_dialer_free(raw)
            throw error
        }
    }

    deinit { close() }

    /// Connects (and, over TLS or WebSocket, completes the handshake) within `timeout`.
    /// The corresponding C function is `nng_stream_dialer_dial`.
    public func dial(timeout: Timeout) throws(NNGError) -> ByteStream {
        let dialer = raw
        return try StreamAIO.openStream("dial", url: url, timeout: timeout) { nng_stream_dialer_dial(dialer, $0) }
    }

    /// Stops pending dials and frees the dialer. Idempotent.
    /// The corresponding C functions are `nng_stream_dialer_close` and `nng_stream_dialer_free`.
    public func close() {
        guard !closed else { return }
        closed = true
        nng_stream_dialer_close(raw)
        nng_stream_dialer_free(raw)
    }
}
