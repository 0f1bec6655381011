import Synchronization

/// Messages and bytes so far, added by the thread that sends or receives and
/// read by the reporter thread: two relaxed atomic adds per message, no lock,
/// no allocation. Never reset; the reporter subtracts its previous reading.
final class TrafficCounter: Sendable {
    private let messageCount = Atomic<Int>(0)
    private let byteCount = Atomic<Int>(0)

    func add(bytes: Int) {
        messageCount.wrappingAdd(1, ordering: .relaxed)
        byteCount.wrappingAdd(bytes, ordering: .relaxed)
    }

    var messages: Int { messageCount.load(ordering: .relaxed) }
    var bytes: Int { byteCount.load(ordering: .relaxed) }
}
