internal import CNNG

/// A message owned by exactly one holder, as libnng requires: sending
/// consumes it, and dropping it frees it. The corresponding C type is `nng_msg`.
public struct Message: ~Copyable, @unchecked Sendable {
    // Unique ownership makes the pointer safe to move between threads.
    var handle: OpaquePointer

    /// A message whose body is a copy of `bytes`.
    /// The corresponding C functions are `nng_msg_alloc` and `memcpy`.
    public init(bytes: UnsafeRawBufferPointer) throws(NNGError) {
        var pointer: OpaquePointer?
        try check(nng_msg_alloc(&pointer, bytes.count), "allocate message")
        handle = pointer!
        if let base = bytes.baseAddress, bytes.count > 0 {
            nng_msg_body(handle).copyMemory(from: base, byteCount: bytes.count)
        }
    }

    /// A message whose body is a copy of `bytes`.
    public init(_ bytes: some Sequence<UInt8>) throws(NNGError) {
        let array = Array(bytes)
        var pointer: OpaquePointer?
        try check(nng_msg_alloc(&pointer, array.count), "allocate message")
        handle = pointer!
        if !array.isEmpty {
            array.withUnsafeBytes { nng_msg_body(pointer!).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
    }

    /// A message whose body holds the UTF-8 bytes of `text`.
    public init(string text: String) throws(NNGError) {
        try self.init(text.utf8)
    }

    /// A message with `count` uninitialised bytes, filled by `fill`, so a body
    /// can be written in place without an intermediate buffer.
    public init(count: Int, fill: (UnsafeMutableRawBufferPointer) -> Void) throws(NNGError) {
        var pointer: OpaquePointer?
        try check(nng_msg_alloc(&pointer, count), "allocate message")
        handle = pointer!
        fill(UnsafeMutableRawBufferPointer(start: nng_msg_body(handle), count: count))
    }

    init(adopting handle: OpaquePointer) { self.handle = handle }

    deinit { nng_msg_free(handle) }

    /// Gives up ownership of the C message; the caller must free or send it.
    consuming func release() -> OpaquePointer {
        let handle = self.handle
        discard self
        return handle
    }

    /// The number of body bytes.
    public var count: Int { nng_msg_len(handle) }

    /// Borrows the body without copying it.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: nng_msg_body(handle), count: nng_msg_len(handle)))
    }

    /// A copy of the body.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Appends bytes to the body. The corresponding C function is `nng_msg_append`.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) throws(NNGError) {
        guard bytes.count > 0 else { return }
        try check(nng_msg_append(handle, bytes.baseAddress, bytes.count), "append to message")
    }

    /// Empties the body, keeping the header (a reply keeps its routing header).
    public mutating func clearBody() { nng_msg_clear(handle) }

    /// The connection the message arrived on, when it was received.
    public var pipe: Pipe? {
        let pipe = nng_msg_get_pipe(handle)
        return pipe.id == 0 || pipe.id == UInt32.max ? nil : Pipe(id: pipe.id)
    }
}
