internal import CNNG

/// Accepts byte streams on one URL, below the SP protocols.
/// The corresponding C type is `nng_stream_listener`.
public final class StreamListener {
    let raw: OpaquePointer
    public let url: String
    private var closed = false

    /// Binds `url` at once. `webSocketProtocols` are the subprotocols a ws/wss
    /// client may ask for (libnng accepts a request naming exactly one of them).
    /// The corresponding C functions are `nng_stream_listener_alloc` and `nng_stream_listener_listen`.
    public init(url: String, tls: TLSConfiguration? = nil, webSocketProtocols: [String] = []) throws(NNGError) {
        let url = Endpoint.normalizedListenURL(url)
        var pointer: OpaquePointer?
        do { try check(nng_stream_listener_alloc(&pointer, url), "listen", url: url) } catch {
            var failure = error
            failure.duringEndpointCreation = true
            throw failure
        }
        raw = pointer!
        self.url = url
        do {
            if let tls, Endpoint.usesTLS(url) {
                let config = try tls.make(forServer: true)
                defer { nng_tls_config_free(config) }
                try check(nng_stream_listener_set_ptr(raw, NNG_OPT_TLS_CONFIG, UnsafeMutableRawPointer(config)), "listen", url: url)
            }
            if !webSocketProtocols.isEmpty {
                // libnng splits the list at spaces.
                try check(nng_stream_listener_set_string(raw, NNG_OPT_WS_PROTOCOL, webSocketProtocols.joined(separator: " ")), "listen", url: url)
            }
            try check(nng_stream_listener_listen(raw), "listen", url: url)
        } catch {
            nng_stream_listener_free(raw)
            throw error
        }
    }

    deinit { close() }

    /// The TCP port bound (useful after port 0), or nil for transports without ports.
    /// The corresponding option is `NNG_OPT_TCP_BOUND_PORT`.
    public var port: Int? {
        var port: Int32 = 0
        guard nng_stream_listener_get_int(raw, NNG_OPT_TCP_BOUND_PORT, &port) == 0 else { return nil }
        return Int(port)
    }

    /// Waits up to `timeout` for one peer to connect (and finish any TLS or
    /// WebSocket handshake). The corresponding C function is `nng_stream_listener_accept`.
    public func accept(timeout: Timeout) throws(NNGError) -> ByteStream {
        let listener = raw
        return try StreamAIO.openStream("accept", url: url, timeout: timeout) { nng_stream_listener_accept(listener, $0) }
    }

    /// Stops accepting and frees the listener. Idempotent.
    /// The corresponding C functions are `nng_stream_listener_close` and `nng_stream_listener_free`.
    public func close() {
        guard !closed else { return }
        closed = true
        nng_stream_listener_close(raw)
        nng_stream_listener_free(raw)
    }
}
