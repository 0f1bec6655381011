internal import CNNG
import Glibc
import Synchronization

/// A bounded copy of forwarded messages, for an observer that must never slow
/// the traffic: `record`, called from aio callbacks, copies a body in when
/// there is room and otherwise only counts a drop; a reader thread takes
/// everything queued at once with `take(into:)`.
///
/// Two buffers of at most `byteLimit` bytes each exist at a time (the one
/// being filled and the one the reader works through), so memory stays
/// bounded whatever the traffic, and a stalled reader costs only drops.
public final class MessageTap: @unchecked Sendable {
    // `lock` guards `filling`, `readerWaiting` and `finished`; the counters are atomics.
    private let lock = ConditionLock()
    private var filling: [UInt8] = []
    private var readerWaiting = false
    private var finished = false
    private let byteLimit: Int
    private let prefixes: [[UInt8]]
    private let droppedCount = Atomic<Int>(0)
    private let acceptedCount = Atomic<Int>(0)

    /// Each record: tag (1 byte), pipe id (4), body length (4), body.
    static let headerSize = 9

    /// - Parameters:
    ///   - byteLimit: bytes of records queued before new ones are dropped.
    ///   - prefixes: record only bodies that start with one of these (all when empty).
    public init(byteLimit: Int = 2 << 20, prefixes: [[UInt8]] = []) {
        self.byteLimit = byteLimit
        self.prefixes = prefixes
    }

    /// Records taken so far (queued or already handed to the reader).
    public var accepted: Int { acceptedCount.load(ordering: .relaxed) }

    /// Records dropped because the queue was full (or the tap finished).
    public var dropped: Int { droppedCount.load(ordering: .relaxed) }

    /// Whether `body` passes the prefix filter.
    public func matches(_ body: UnsafeRawBufferPointer) -> Bool {
        if prefixes.isEmpty { return true }
        return prefixes.contains { prefix in
            prefix.count <= body.count && (prefix.isEmpty || prefix.withUnsafeBytes { memcmp($0.baseAddress!, body.baseAddress!, prefix.count) == 0 })
        }
    }

    /// Copies `body` in, tagged, unless the queue is full. Never waits for the
    /// reader: safe in a completion callback.
    public func record(_ body: UnsafeRawBufferPointer, tag: UInt8, pipe: Pipe?) {
        guard matches(body) else { return }
        let size = Self.headerSize + body.count
        lock.lock()
        guard !finished, filling.count + size <= byteLimit else {
            lock.unlock()
            droppedCount.add(1, ordering: .relaxed)
            return
        }
        if filling.capacity == 0 { filling.reserveCapacity(min(byteLimit, 256 << 10)) }
        filling.append(tag)
        Self.appendUInt32(pipe?.id ?? 0, to: &filling)
        Self.appendUInt32(UInt32(body.count), to: &filling)
        filling.append(contentsOf: body)
        let wake = readerWaiting
        readerWaiting = false
        lock.unlock()
        acceptedCount.add(1, ordering: .relaxed)
        // One wake-up per reader pass, not per message: the reader takes everything.
        if wake { lock.signal() }
    }

    /// Records the body of a C message about to be forwarded.
    func record(_ message: OpaquePointer, tag: UInt8) {
        let pipe = nng_msg_get_pipe(message)
        let known = pipe.id == 0 || pipe.id == UInt32.max ? nil : Pipe(id: pipe.id)
        record(UnsafeRawBufferPointer(start: nng_msg_body(message), count: nng_msg_len(message)), tag: tag, pipe: known)
    }

    /// Swaps everything queued into `chunk` (whose old contents are dropped),
    /// waiting while nothing is queued. Returns false once the tap is finished
    /// and nothing is left.
    public func take(into chunk: inout [UInt8]) -> Bool {
        chunk.removeAll(keepingCapacity: true)
        lock.lock()
        defer { lock.unlock() }
        while filling.isEmpty {
            if finished { return false }
            readerWaiting = true
            lock.wait(until: nil)
        }
        swap(&filling, &chunk)
        return true
    }

    /// No more records: what is queued can still be taken, then `take` returns false.
    public func finish() {
        lock.withLock {
            finished = true
            lock.broadcast()
        }
    }

    /// Calls `body` with each record of a chunk from `take(into:)`, in order.
    public static func forEachRecord(in chunk: [UInt8], _ body: (_ tag: UInt8, _ pipe: Pipe?, _ bytes: UnsafeRawBufferPointer) -> Void) {
        chunk.withUnsafeBytes { all in
            var offset = 0
            while offset + headerSize <= all.count {
                let tag = all[offset]
                let pipe = readUInt32(all, at: offset + 1)
                let count = Int(readUInt32(all, at: offset + 5))
                let start = offset + headerSize
                body(tag, pipe == 0 ? nil : Pipe(id: pipe), UnsafeRawBufferPointer(rebasing: all[start..<start + count]))
                offset = start + count
            }
        }
    }

    private static func appendUInt32(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func readUInt32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
