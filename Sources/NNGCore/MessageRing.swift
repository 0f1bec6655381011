internal import CNNG

/// A fixed-capacity FIFO of owned C messages. Not thread-safe: its owner
/// guards it with its own lock. Holding raw pointers keeps the hot path free
/// of per-message allocation and reference counting.
struct MessageRing {
    private let slots: UnsafeMutablePointer<OpaquePointer?>
    let capacity: Int
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        slots = .allocate(capacity: self.capacity)
        slots.initialize(repeating: nil, count: self.capacity)
    }

    var isEmpty: Bool { count == 0 }
    var isFull: Bool { count == capacity }

    mutating func push(_ message: OpaquePointer) {
        precondition(count < capacity, "MessageRing overflow")
        slots[(head + count) % capacity] = message
        count += 1
    }

    mutating func pop() -> OpaquePointer? {
        guard count > 0 else { return nil }
        let message = slots[head]
        slots[head] = nil
        head = (head + 1) % capacity
        count -= 1
        return message
    }

    /// Frees every queued message and the storage; returns how many were queued.
    mutating func destroy() -> Int {
        let dropped = count
        while let message = pop() { nng_msg_free(message) }
        slots.deallocate()
        return dropped
    }
}
