internal import CNNG

extension Socket {
    /// Opens a raw-mode socket: received messages keep NNG's routing header
    /// (the path back and request id of req/rep, the survey id, pair1's hop
    /// count, the sending pipe of bus), and sent ones are routed by it. A
    /// forwarder made of two raw sockets therefore passes replies back to the
    /// requester that asked, which two cooked sockets could not.
    /// The corresponding C functions are `nng_<protocol>_open_raw`.
    public convenience init(raw socketProtocol: SocketProtocol) throws(NNGError) {
        try self.init(socketProtocol, opening: socketProtocol.openRaw, mode: "raw ")
    }
}

extension SocketProtocol {
    // The versioned raw open functions, as for `open`.
    func openRaw(_ socket: inout nng_socket) -> Int32 {
        switch self {
        case .pub0: nng_pub0_open_raw(&socket)
        case .sub0: nng_sub0_open_raw(&socket)
        case .req0: nng_req0_open_raw(&socket)
        case .rep0: nng_rep0_open_raw(&socket)
        case .push0: nng_push0_open_raw(&socket)
        case .pull0: nng_pull0_open_raw(&socket)
        case .pair0: nng_pair0_open_raw(&socket)
        case .pair1: nng_pair1_open_raw(&socket)
        case .bus0: nng_bus0_open_raw(&socket)
        case .surveyor0: nng_surveyor0_open_raw(&socket)
        case .respondent0: nng_respondent0_open_raw(&socket)
        }
    }
}
