/// When each message is due, given its offset on a schedule (k × period for
/// `--rate`; the recorded gap, scaled, for `--pace recorded`). Pure: times
/// come in as arguments, so tests drive it with a made-up clock.
///
/// Due times are absolute (anchor + offset), so waking late from a sleep does
/// not accumulate into drift. A message later than `tolerance` moves the
/// anchor to now instead: after a stall the schedule resumes from where it is,
/// rather than firing the missed messages in a burst to catch up.
struct PaceScheduler: Sendable {
    let tolerance: Duration
    private(set) var anchor: Duration?
    /// How many times a stall moved the schedule, for tests and `-v`.
    private(set) var reanchors = 0

    init(tolerance: Duration) { self.tolerance = tolerance }

    /// How long to wait before sending the message at `offset`, at time `now`.
    mutating func delay(offset: Duration, now: Duration) -> Duration {
        guard let anchor else {
            self.anchor = now - offset
            return .zero
        }
        let due = anchor + offset
        if now > due + tolerance {
            self.anchor = now - offset
            reanchors += 1
            return .zero
        }
        return due > now ? due - now : .zero
    }
}
