internal import CNNG

/// Messages taken from a `MessageReceiver` in one go (`takeBatch`), so that
/// a consumer keeping up with a stream takes the receiver's lock once per
/// batch instead of once per message, and contends with the receive callback
/// that much less. Owns what it holds: whatever is left when it goes is freed.
public struct MessageBatch: ~Copyable {
    var ring: MessageRing

    /// - Parameter capacity: the most messages one `takeBatch` moves here.
    public init(capacity: Int = 1024) {
        ring = MessageRing(capacity: capacity)
    }

    deinit {
        var leftovers = ring
        _ = leftovers.destroy()
    }

    public var isEmpty: Bool { ring.isEmpty }
    public var count: Int { ring.count }

    /// The oldest message held, now the caller's.
    public mutating func next() -> Message? {
        ring.pop().map(Message.init(adopting:))
    }
}
