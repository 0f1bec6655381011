import Synchronization

/// Anything the reporter can read messages and bytes from: a `TrafficCounter`
/// the mode bumps, or a proxy's forwarding chain, which counts on its own.
protocol TrafficReading: AnyObject, Sendable {
    var messages: Int { get }
    var bytes: Int { get }
}

/// Messages and bytes so far, added by the threads that send or receive and
/// read by the reporter thread: two relaxed atomic adds per message, no lock,
/// no allocation, safe from any number of threads (`--jobs` workers share one).
/// Never reset; the reporter subtracts its previous reading.
final class TrafficCounter: TrafficReading {
    private let messageCount = Atomic<Int>(0)
    private let byteCount = Atomic<Int>(0)

    func add(bytes: Int) {
        messageCount.wrappingAdd(1, ordering: .relaxed)
        byteCount.wrappingAdd(bytes, ordering: .relaxed)
    }

    var messages: Int { messageCount.load(ordering: .relaxed) }
    var bytes: Int { byteCount.load(ordering: .relaxed) }
}

/// A named share of the traffic, shown beside the totals: a proxy's
/// directions (`in_out`, `out_in`), or the replies `listen --rep` sent.
struct TrafficPart: Sendable {
    let name: String
    let reading: any TrafficReading
}

/// The sum of several readings: a proxy's total over its directions.
final class SummedTraffic: TrafficReading {
    let parts: [any TrafficReading]

    init(_ parts: [any TrafficReading]) { self.parts = parts }

    var messages: Int { parts.reduce(0) { $0 + $1.messages } }
    var bytes: Int { parts.reduce(0) { $0 + $1.bytes } }
}
