internal import CNNG

/// Owns one `nng_aio`: allocates it with a completion callback, keeps the
/// rules of its message slot, and tears it down in the one safe order (stop,
/// take back and free a message still held, free). `~Copyable`, so it is
/// freed exactly once; `MessageSender`, `MessageReceiver`, `Responder`,
/// `AIO`, `ForwardingChain` and `StreamAIO` each hold one.
///
/// Operations start on `raw` (`nng_send_aio(socket, aio.raw)`): it stays
/// valid until `free()`. Nothing here allocates, so completion callbacks may
/// call every method but `stop()` and `free()`.
struct AIOHandle: ~Copyable {
    let raw: OpaquePointer

    /// `context` reaches `callback` unretained: its owner must outlive the
    /// handle. The corresponding C function is `nng_aio_alloc`.
    init(calling callback: @convention(c) (UnsafeMutableRawPointer?) -> Void,
         with context: UnsafeMutableRawPointer) throws(NNGError) {
        var pointer: OpaquePointer?
        try check(nng_aio_alloc(&pointer, callback, context), "allocate aio")
        raw = pointer!
    }

    /// An aio without a callback, for a thread that starts one operation and
    /// waits for it (`nng_aio_wait`). The corresponding C function is `nng_aio_alloc`.
    init() throws(NNGError) {
        var pointer: OpaquePointer?
        try check(nng_aio_alloc(&pointer, nil, nil), "allocate aio")
        raw = pointer!
    }

    /// The corresponding C function is `nng_aio_result`.
    var result: Int32 { nng_aio_result(raw) }

    /// The result of a finished send. On success the message is libnng's:
    /// the slot is emptied here, since pub0 frees the message but leaves its
    /// pointer in the slot (libnng 1.5.2 through 1.11.0, and 2.0.0's alpha;
    /// nanomsg/nng#2302 fixed it after 2.0.0-beta.1), and taking or freeing
    /// it again would be a double free. Every other protocol empties the slot
    /// itself, as will a fixed pub0, so on those this is a no-op: a
    /// successful send never leaves a message that is ours, on any version.
    func sendResult() -> Int32 { Self.sendResult(of: raw) }

    /// `sendResult()` for a callback that reaches the aio through its pointer,
    /// not through the handle's owner.
    static func sendResult(of raw: OpaquePointer) -> Int32 {
        let result = nng_aio_result(raw)
        if result == 0 { nng_aio_set_msg(raw, nil) }
        return result
    }

    /// Takes the message out of the slot: the received one after a receive,
    /// the unsent one after a failed send. The corresponding C function is `nng_aio_get_msg`.
    func takeMessage() -> OpaquePointer? {
        guard let message = nng_aio_get_msg(raw) else { return nil }
        nng_aio_set_msg(raw, nil)
        return message
    }

    /// Frees what a failed send (or an unclaimed receive) left in the slot.
    func discardMessage() { Self.discardMessage(of: raw) }

    /// `discardMessage()` through the aio's pointer.
    static func discardMessage(of raw: OpaquePointer) {
        guard let message = nng_aio_get_msg(raw) else { return }
        nng_aio_set_msg(raw, nil)
        nng_msg_free(message)
    }

    /// Stops the operation in progress (it completes with `.canceled`) and
    /// waits for its callback. Idempotent; never from this handle's own callback.
    /// The corresponding C function is `nng_aio_stop`.
    func stop() { nng_aio_stop(raw) }

    /// Stops, frees a message still in the slot, and frees the handle. Never
    /// from this handle's own callback. The corresponding C function is `nng_aio_free`.
    consuming func free() {
        stop()
        discardMessage()
        nng_aio_free(raw)
        discard self
    }

    deinit {
        assertionFailure("an AIOHandle was dropped without free()")
    }
}
