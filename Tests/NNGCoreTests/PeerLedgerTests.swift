@testable import NNGCore
import Testing

/// The ledger behind PeerTracker, fed events in the orders libnng can deliver them.
@Suite("Peer ledger")
struct PeerLedgerTests {
    @Test("an arrival then a departure counts the peer, then not")
    func inOrder() {
        var ledger = PeerLedger()
        let reported = ledger.add(7, address: "tcp://127.0.0.1:1")
        #expect(reported)
        #expect(ledger.count == 1)
        let departed = ledger.remove(7)
        #expect(departed == .some("tcp://127.0.0.1:1"))
        #expect(ledger.count == 0)
    }

    @Test("a departure delivered before its arrival leaves no peer counted")
    func departureFirst() {
        var ledger = PeerLedger()
        let departed = ledger.remove(7)
        #expect(departed == nil)
        let lateArrivalReported = ledger.add(7, address: "tcp://127.0.0.1:1")
        #expect(!lateArrivalReported)
        #expect(ledger.count == 0)
        // The early departure was used up: the same id arriving again counts.
        let againReported = ledger.add(7, address: nil)
        #expect(againReported)
        #expect(ledger.count == 1)
    }

    @Test("early departures of pipes that never arrive are forgotten past the limit")
    func boundedMemory() {
        var ledger = PeerLedger()
        let pipes = UInt32(PeerLedger.departedLimit + 10)
        for pipe in 0..<pipes { _ = ledger.remove(pipe) }
        // The oldest ten were dropped: a late arrival of one of them counts.
        let oldestReported = ledger.add(0, address: nil)
        #expect(oldestReported)
        let newestReported = ledger.add(pipes - 1, address: nil)
        #expect(!newestReported)
        #expect(ledger.count == 1)
    }

    @Test("a second arrival of a connected pipe is not counted twice")
    func duplicateArrival() {
        var ledger = PeerLedger()
        let first = ledger.add(3, address: nil)
        let second = ledger.add(3, address: nil)
        #expect(first && !second)
        #expect(ledger.count == 1)
    }
}
