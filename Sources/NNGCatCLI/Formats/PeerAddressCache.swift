import NNGCore

/// The peer address of the pipe a message came on, looked up once per pipe:
/// each lookup is a libnng call and a new String, and a stream's messages
/// come on the same pipe one after another. A peer that reconnects (or
/// another peer) arrives on another pipe id, so one entry is enough.
struct PeerAddressCache: Sendable {
    private var pipeID: UInt32 = 0
    private var known: String?

    /// The address `pipe.remoteAddress` gives. A failed lookup is not kept:
    /// the next message on that pipe asks again, as it would without a cache.
    mutating func address(of pipe: Pipe?) -> String? {
        guard let pipe else { return nil }
        if pipe.id == pipeID, let known { return known }
        known = pipe.remoteAddress
        pipeID = pipe.id
        return known
    }
}
