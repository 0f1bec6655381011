internal import CNNG

/// A callback-less aio for one blocking byte-stream operation at a time
/// (dial, accept, receive, send), each with its own timeout. Without a
/// callback there is nothing to run on NNG's threads: the caller waits in
/// `nng_aio_wait`, so these suit a thread that does one probe from start to end.
final class StreamAIO {
    let handle: OpaquePointer
    private var aio: AIOHandle?

    init() throws(NNGError) {
        let owned = try AIOHandle()
        handle = owned.raw
        aio = consume owned
    }

    deinit { close() }

    /// Starts the operation with `start`, waits for it, and throws its error
    /// as `operation` on `url`.
    func run(_ operation: String, url: String?, timeout: Timeout, _ start: (OpaquePointer) -> Void) throws(NNGError) {
        nng_aio_set_timeout(handle, timeout.nngDuration)
        start(handle)
        nng_aio_wait(handle)
        try check(nng_aio_result(handle), operation, url: url)
    }

    /// Bytes moved by the last receive or send. The corresponding C function is `nng_aio_count`.
    var count: Int { nng_aio_count(handle) }

    /// The object a dial or accept produced. The corresponding C function is `nng_aio_get_output`.
    var firstOutput: OpaquePointer? { nng_aio_get_output(handle, 0).map { OpaquePointer($0) } }

    /// Stops any operation and frees the aio. Idempotent.
    func close() {
        let owned = aio.take()
        owned?.free()
    }

    /// Runs one dial or accept on a fresh aio and adopts the stream it produced.
    static func openStream(_ operation: String, url: String, timeout: Timeout,
                           _ start: (OpaquePointer) -> Void) throws(NNGError) -> ByteStream {
        let aio = try StreamAIO()
        defer { aio.close() }
        try aio.run(operation, url: url, timeout: timeout, start)
        guard let stream = aio.firstOutput else { throw NNGError(.incorrectState, operation: operation, url: url) }
        return try ByteStream(adopting: stream, url: url)
    }
}
