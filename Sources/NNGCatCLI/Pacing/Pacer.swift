/// How `send` spaces its messages.
enum Pacing: Sendable, Equatable {
    /// As fast as the socket takes them.
    case none
    /// `--interval`: a fixed gap after each message.
    case interval(Duration)
    /// `--rate`: message k due at start + k/rate.
    case rate(Rate)
    /// `--pace recorded --speed X`: the gaps between the records' `time` fields, divided by X.
    case recorded(speed: Double)
}

/// Waits before each message as `Pacing` says, and stops the run at
/// `--duration`. Everything happens on the sending thread; sleeps wake at once
/// on SIGINT/SIGTERM.
final class Pacer<Clock: PacingClock> {
    enum Verdict: Equatable {
        case send
        /// `--duration` is over: send nothing more.
        case stop
        /// `--pace recorded` and the record has no usable `time`.
        case missingTime
    }

    let pacing: Pacing
    let clock: Clock
    let limit: DurationLimit?
    private var scheduler: PaceScheduler
    private var sent: Int64 = 0
    private var firstTime: Int64?

    /// A message more than this late (or, at a slow --rate, more than one
    /// period) moves the schedule (see PaceScheduler). One period alone was
    /// too strict on a busy machine: at 200/s, 5 ms wake-up delays re-anchored
    /// often enough to run 5% slow; with 10 ms, 1,000 messages kept within 1%.
    static var tolerance: Duration { .milliseconds(10) }

    init(_ pacing: Pacing, duration: Duration?, clock: Clock) {
        self.pacing = pacing
        self.clock = clock
        limit = duration.map { DurationLimit($0, clock: clock) }
        switch pacing {
        case .rate(let rate): scheduler = PaceScheduler(tolerance: max(rate.period, Self.tolerance))
        default: scheduler = PaceScheduler(tolerance: Self.tolerance)
        }
    }

    /// Called before each message with its input record (raw, before decoding).
    func beforeMessage(_ record: UnsafeRawBufferPointer) -> Verdict {
        defer { sent += 1 }
        let offset: Duration
        switch pacing {
        case .none:
            return expired ? .stop : .send
        case .interval(let gap):
            if sent > 0 { sleep(for: gap) }
            return expired ? .stop : .send
        case .rate(let rate):
            offset = rate.period * sent
        case .recorded(let speed):
            guard let time = RecordTime.nanoseconds(in: record) else { return .missingTime }
            let first = firstTime ?? time
            firstTime = first
            // A clock stepped back between records is a zero gap, not a negative one.
            offset = .nanoseconds(Int64((Double(max(0, time - first)) / speed).rounded()))
        }
        let wait = scheduler.delay(offset: offset, now: clock.now)
        if wait > .zero { sleep(for: wait) }
        return expired ? .stop : .send
    }

    var expired: Bool { limit?.hasPassed(now: clock.now) ?? false }

    /// Schedule moves after stalls so far.
    var reanchors: Int { scheduler.reanchors }

    /// Sleeps, but not past the end of `--duration`.
    private func sleep(for wait: Duration) {
        var deadline = clock.now + wait
        if let limit, limit.end < deadline { deadline = limit.end }
        clock.sleep(until: deadline)
    }
}
