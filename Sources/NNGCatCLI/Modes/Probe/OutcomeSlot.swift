import Synchronization

/// Where one probe thread leaves its outcome for the main thread.
final class OutcomeSlot: Sendable {
    let value = Mutex<ProbeOutcome?>(nil)
}
