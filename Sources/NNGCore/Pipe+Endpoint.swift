internal import CNNG

extension Pipe {
    /// Whether this connection was accepted by `listener`: tells which of a
    /// socket's endpoints a peer came through (a bus proxy has one socket for
    /// both of its sides). The corresponding C function is `nng_pipe_listener`.
    public func came(through listener: Listener) -> Bool {
        nng_pipe_listener(nng_pipe(id: id)).id == listener.id
    }

    /// Whether this connection was made by `dialer`.
    /// The corresponding C function is `nng_pipe_dialer`.
    public func came(through dialer: Dialer) -> Bool {
        nng_pipe_dialer(nng_pipe(id: id)).id == dialer.id
    }
}
