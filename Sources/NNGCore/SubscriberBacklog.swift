/// The bookkeeping behind `SubscriberPace`: how far each subscriber's pipe
/// is behind the publisher, in messages and in bytes.
///
/// A pub socket queues every message for every pipe and, when a pipe's queue
/// is full, drops the oldest. Nothing in libnng's API says how full a queue
/// is, but each pipe counts what its transport has written (`tx_msgs`): a
/// pipe that joined when the socket had accepted `a` messages, and has
/// written `t`, still holds `submitted - a - t` of them. `submitted` counts
/// messages handed to the sender, some of which the socket has not taken
/// yet, so the figure errs on the side of holding back.
struct SubscriberBacklog {
    private(set) var submitted = 0
    /// Bytes submitted, the running total after message `n` at `n % count`:
    /// the bytes a pipe still holds are the total now less the total after
    /// the last message it wrote. Twice the window, so a pipe that lags by a
    /// little more than the window (see `SubscriberPace`) still reads its own.
    private var totals: [Int]
    private var totalBytes = 0

    /// The most messages any pipe may lag by.
    let window: Int
    /// The most bytes any pipe may lag by, beyond one message.
    let byteBudget: Int

    init(window: Int, byteBudget: Int) {
        precondition(window > 0 && byteBudget > 0)
        self.window = window
        self.byteBudget = byteBudget
        totals = Array(repeating: 0, count: window * 2)
    }

    mutating func submit(bytes: Int) {
        totalBytes += bytes
        totals[submitted % totals.count] = totalBytes
        submitted += 1
    }

    /// How much more may be submitted now, given each pipe's `tx_msgs` and
    /// what the socket had accepted when it joined: zero messages means wait.
    func room(transmitted: [(pipe: UInt32, messages: Int)], joinedAt: [UInt32: Int]) -> (messages: Int, bytes: Int) {
        let lag = deepestLag(transmitted: transmitted, joinedAt: joinedAt)
        if lag.messages >= window || lag.bytes >= byteBudget { return (0, 0) }
        return (window - lag.messages, byteBudget - lag.bytes)
    }

    /// What the pipe furthest behind still holds, in messages and in bytes.
    /// Pipes whose join is not known yet are skipped: the event is on its
    /// way, and they hold little.
    func deepestLag(transmitted: [(pipe: UInt32, messages: Int)], joinedAt: [UInt32: Int]) -> (messages: Int, bytes: Int) {
        var deepest = 0
        var heaviest = 0
        for (pipe, written) in transmitted {
            guard let joined = joinedAt[pipe] else { continue }
            let delivered = min(max(joined + written, 0), submitted)
            let behind = submitted - delivered
            guard behind > 0 else { continue }
            deepest = max(deepest, behind)
            let deliveredBytes = delivered == 0 || behind >= totals.count ? 0 : totals[(delivered - 1) % totals.count]
            heaviest = max(heaviest, totalBytes - deliveredBytes)
        }
        return (deepest, heaviest)
    }
}
