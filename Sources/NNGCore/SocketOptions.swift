internal import CNNG

/// The socket options the tool needs, typed. Anything else goes through
/// `Socket.setOption(named:to:)`.
public enum SocketOption: Sendable, Equatable {
    /// Largest message accepted; 0 means no limit. `NNG_OPT_RECVMAXSZ`.
    case receiveMaxSize(Int)
    /// `NNG_OPT_SENDTIMEO`, `NNG_OPT_RECVTIMEO`: for blocking calls only; aio
    /// operations carry their own timeout.
    case sendTimeout(Timeout)
    case receiveTimeout(Timeout)
    /// Messages queued in the socket, 0–8192. `NNG_OPT_SENDBUF`, `NNG_OPT_RECVBUF`.
    case sendBuffer(Int)
    case receiveBuffer(Int)
    /// `NNG_OPT_RECONNMINT`, `NNG_OPT_RECONNMAXT`.
    case reconnectMinTime(Duration)
    case reconnectMaxTime(Duration)
    /// How long a surveyor collects responses. `NNG_OPT_SURVEYOR_SURVEYTIME`.
    case surveyTime(Duration)
    /// How long a request waits before it is sent again. `NNG_OPT_REQ_RESENDTIME`.
    case requestResendTime(Timeout)
    /// `NNG_OPT_TCP_NODELAY`, `NNG_OPT_TCP_KEEPALIVE`.
    case tcpNoDelay(Bool)
    case tcpKeepAlive(Bool)
}

extension Socket {
    /// Sets a typed option. The corresponding C functions are `nng_socket_set_*`.
    public func set(_ option: SocketOption) throws(NNGError) {
        let s = raw
        switch option {
        case .receiveMaxSize(let size): try check(nng_socket_set_size(s, NNG_OPT_RECVMAXSZ, size), "set \(NNG_OPT_RECVMAXSZ)")
        case .sendTimeout(let t): try check(nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, t.nngDuration), "set \(NNG_OPT_SENDTIMEO)")
        case .receiveTimeout(let t): try check(nng_socket_set_ms(s, NNG_OPT_RECVTIMEO, t.nngDuration), "set \(NNG_OPT_RECVTIMEO)")
        case .sendBuffer(let n): try check(nng_socket_set_int(s, NNG_OPT_SENDBUF, Int32(clamping: n)), "set \(NNG_OPT_SENDBUF)")
        case .receiveBuffer(let n): try check(nng_socket_set_int(s, NNG_OPT_RECVBUF, Int32(clamping: n)), "set \(NNG_OPT_RECVBUF)")
        case .reconnectMinTime(let d): try check(nng_socket_set_ms(s, NNG_OPT_RECONNMINT, d.nngMilliseconds), "set \(NNG_OPT_RECONNMINT)")
        case .reconnectMaxTime(let d): try check(nng_socket_set_ms(s, NNG_OPT_RECONNMAXT, d.nngMilliseconds), "set \(NNG_OPT_RECONNMAXT)")
        case .surveyTime(let d): try check(nng_socket_set_ms(s, NNG_OPT_SURVEYOR_SURVEYTIME, d.nngMilliseconds), "set \(NNG_OPT_SURVEYOR_SURVEYTIME)")
        case .requestResendTime(let t): try check(nng_socket_set_ms(s, NNG_OPT_REQ_RESENDTIME, t.nngDuration), "set \(NNG_OPT_REQ_RESENDTIME)")
        case .tcpNoDelay(let on): try check(nng_socket_set_bool(s, NNG_OPT_TCP_NODELAY, on), "set \(NNG_OPT_TCP_NODELAY)")
        case .tcpKeepAlive(let on): try check(nng_socket_set_bool(s, NNG_OPT_TCP_KEEPALIVE, on), "set \(NNG_OPT_TCP_KEEPALIVE)")
        }
    }

    /// Subscribes a sub socket to messages starting with `topic` (empty: all).
    /// The corresponding option is `NNG_OPT_SUB_SUBSCRIBE`.
    public func subscribe(to topic: [UInt8]) throws(NNGError) {
        let result = topic.withUnsafeBytes { nng_socket_set(raw, NNG_OPT_SUB_SUBSCRIBE, $0.baseAddress, $0.count) }
        try check(result, "subscribe")
    }

    /// The corresponding option is `NNG_OPT_SUB_UNSUBSCRIBE`.
    public func unsubscribe(from topic: [UInt8]) throws(NNGError) {
        let result = topic.withUnsafeBytes { nng_socket_set(raw, NNG_OPT_SUB_UNSUBSCRIBE, $0.baseAddress, $0.count) }
        try check(result, "unsubscribe")
    }

    /// Sets any option libnng knows by its name, for power users. The value is
    /// tried as the types its text can be: `true`/`false` as a boolean, a whole
    /// number as an int, size, duration (ms) or uint64, and a string otherwise;
    /// libnng refuses the types an option does not have (`.wrongType`).
    public func setOption(named name: String, to value: String) throws(NNGError) {
        let s = raw
        let operation = "set option \(name)"
        var result: Int32
        if value == "true" || value == "false" {
            result = nng_socket_set_bool(s, name, value == "true")
        } else if let number = Int64(value) {
            result = nng_socket_set_int(s, name, Int32(clamping: number))
            if result == CNNG_EBADTYPE { result = nng_socket_set_size(s, name, Int(clamping: max(0, number))) }
            if result == CNNG_EBADTYPE { result = nng_socket_set_ms(s, name, Int32(clamping: number)) }
            if result == CNNG_EBADTYPE { result = nng_socket_set_uint64(s, name, UInt64(clamping: max(0, number))) }
            if result == CNNG_EBADTYPE { result = nng_socket_set_string(s, name, value) }
        } else {
            result = nng_socket_set_string(s, name, value)
        }
        try check(result, operation)
    }

    /// Reads an integer-like option by name, for diagnostics and tests.
    public func integerOption(named name: String) throws(NNGError) -> Int {
        var int: Int32 = 0
        if nng_socket_get_int(raw, name, &int) == 0 { return Int(int) }
        var size = 0
        if nng_socket_get_size(raw, name, &size) == 0 { return size }
        var ms: nng_duration = 0
        try check(nng_socket_get_ms(raw, name, &ms), "get option \(name)")
        return Int(ms)
    }
}
