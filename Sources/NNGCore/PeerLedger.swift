/// The bookkeeping behind `PeerTracker`: which pipes are connected now.
///
/// libnng runs pipe callbacks outside its own lock, on whichever thread
/// raised the event, so a pipe's REM_POST can reach us before its ADD_POST
/// (seen with NNG 1.11: a push whose only peer took one message and left
/// still counted that peer 10 s later). A removal for a pipe not yet added
/// is remembered, and the late addition then cancels against it.
struct PeerLedger {
    private(set) var count = 0
    private var connected: [UInt32: String?] = [:]
    /// Pipes whose removal came first. libnng also removes pipes it never
    /// added (rejected before ADD_POST); those would stay here for good,
    /// so the oldest are forgotten past `departedLimit`.
    private var departedEarly: [UInt32] = []
    static let departedLimit = 64

    /// The pipes connected now, with the addresses they arrived with.
    var connectedPipes: [(UInt32, String?)] { connected.map { ($0.key, $0.value) } }

    /// Records a pipe's arrival. False if it already left (nothing to report).
    mutating func add(_ pipe: UInt32, address: String?) -> Bool {
        if let early = departedEarly.firstIndex(of: pipe) {
            departedEarly.remove(at: early)
            return false
        }
        guard connected.updateValue(address, forKey: pipe) == nil else { return false }
        count += 1
        return true
    }

    /// Records a pipe's departure: the address it arrived with, or nil
    /// (nothing to report) if its arrival has not been recorded.
    mutating func remove(_ pipe: UInt32) -> String?? {
        guard let address = connected.removeValue(forKey: pipe) else {
            departedEarly.append(pipe)
            if departedEarly.count > Self.departedLimit { departedEarly.removeFirst() }
            return nil
        }
        count -= 1
        return .some(address)
    }
}
