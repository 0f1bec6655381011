import NNGCore
import Synchronization

/// `listen --check-seq`: bodies that start with a decimal number, checked per
/// peer (per pipe: each connection counts from its own start). The receiving
/// side finds its peer in a dictionary of its own; only a new peer takes the
/// lock that the reporter reads the list under. Several receiving threads
/// (`listen --rep --jobs N`'s contexts) use `observeShared`, which takes a
/// lock of its own.
final class SeqChecker: @unchecked Sendable {
    // @unchecked: `byPipe` and every peer's own state belong to the receiving
    // side, one observer at a time (listen's receive callback under its
    // receiver's lock, the `--exec` loop's thread, or whichever holds
    // `observers`); the reporter uses `registry` (under its mutex) and the atomics.
    private var byPipe: [UInt32: PeerSequence] = [:]
    private let observers = ConditionLock()
    private let registry = Mutex<[PeerSequence]>([])
    private let unnumberedCount = Atomic<Int>(0)

    func observe(_ body: UnsafeRawBufferPointer, pipe: Pipe?) {
        guard let number = Self.leadingNumber(body) else {
            unnumberedCount.wrappingAdd(1, ordering: .relaxed)
            return
        }
        let id = pipe?.id ?? 0
        if let peer = byPipe[id] {
            peer.observe(number)
            return
        }
        let peer = PeerSequence(label: pipe?.remoteAddress ?? "unknown", pipeID: id)
        byPipe[id] = peer
        registry.withLock { $0.append(peer) }
        peer.observe(number)
    }

    /// `observe` for a receiving thread among several.
    func observeShared(_ body: UnsafeRawBufferPointer, pipe: Pipe?) {
        observers.withLock { observe(body, pipe: pipe) }
    }

    var peers: [PeerSequence] { registry.withLock { $0 } }
    var unnumbered: Int { unnumberedCount.load(ordering: .relaxed) }

    /// The decimal digits a body starts with (at most 19, so it fits), or nil.
    static func leadingNumber(_ body: UnsafeRawBufferPointer) -> UInt64? {
        var value: UInt64 = 0
        var digits = 0
        for byte in body {
            guard byte >= 0x30 && byte <= 0x39, digits < 19 else { break }
            value = value * 10 + UInt64(byte - 0x30)
            digits += 1
        }
        return digits == 0 ? nil : value
    }
}
