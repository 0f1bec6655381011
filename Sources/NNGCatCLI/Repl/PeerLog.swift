import NNGCore
import Synchronization

/// The peers of one socket, fed by NNG's pipe notifications on its threads,
/// read by the event loop.
final class PeerLog: Sendable {
    private struct State {
        var connected: [UInt32: String] = [:]
        var pending: [PeerEvent] = []
    }
    private let state = Mutex(State())
    private let wakeup: Wakeup

    init(wakeup: Wakeup) { self.wakeup = wakeup }

    /// Called on an NNG thread: records, and wakes the loop. Never blocks.
    func record(_ event: PeerEvent) {
        state.withLock { state in
            switch event.kind {
            case .connected: state.connected[event.pipe.id] = event.remoteAddress ?? "unknown address"
            case .disconnected: state.connected.removeValue(forKey: event.pipe.id)
            }
            state.pending.append(event)
        }
        wakeup.signal()
    }

    func takeEvents() -> [PeerEvent] {
        state.withLock { state in
            defer { state.pending.removeAll() }
            return state.pending
        }
    }

    /// Addresses of the peers connected now.
    var connected: [String] {
        state.withLock { $0.connected.sorted { $0.key < $1.key }.map(\.value) }
    }
}
