import Glibc

/// The thread behind `--stats` and the progress line: every `--stats`
/// interval a line on stderr, every 200 ms the progress line redrawn in
/// place; at `finish()` the progress line is wiped and the summary printed.
/// It only reads the counters, which the working threads bump without locks;
/// any mode (send, listen, proxy) hands it what it counts.
final class LiveReporter: Sendable {
    let stats: StatsSettings?
    /// What the mode bumps, unless `reading` says where the totals come from.
    let traffic: TrafficCounter
    /// Where the totals are read: `traffic`, or (proxy) the chains' own counts.
    let reading: any TrafficReading
    /// Shares shown beside the totals, each with its own counts.
    let parts: [TrafficPart]
    let latency: LatencyHistogram?
    let sequences: SeqChecker?
    let progress: ProgressMeter?
    private let state: ReporterState
    private let wake: (read: Int32, write: Int32)

    static let progressPeriod: Duration = .milliseconds(200)

    init(stats: StatsSettings?, traffic: TrafficCounter = TrafficCounter(), reading: (any TrafficReading)? = nil,
         parts: [TrafficPart] = [], latency: LatencyHistogram? = nil, sequences: SeqChecker? = nil,
         progress: ProgressMeter? = nil) {
        self.stats = stats
        self.traffic = traffic
        self.reading = reading ?? traffic
        self.parts = parts
        self.latency = latency
        self.sequences = sequences
        self.progress = progress
        state = ReporterState(start: MonotonicClock().now, parts: parts.count)
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) != 0 { ends = [-1, -1] }
        for end in ends where end >= 0 { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        wake = (ends[0], ends[1])
    }

    deinit {
        if wake.read >= 0 { close(wake.read) }
        if wake.write >= 0 { close(wake.write) }
    }

    /// Whether anything is counted and reported at all.
    var isActive: Bool { stats != nil || progress != nil }

    func start() {
        guard isActive, !state.started else { return }
        state.started = true
        state.start = MonotonicClock().now
        state.lastTick = state.start
        if stats?.interval != nil || progress != nil {
            state.thread = JoinableThread { [self] in self.run() }
        }
    }

    /// Stops the thread, wipes the progress line, prints the summary. Idempotent.
    func finish() {
        guard state.started, !state.finished else { return }
        state.finished = true
        if let thread = state.thread {
            state.thread = nil
            var byte: UInt8 = 1
            _ = write(wake.write, &byte, 1)
            thread.join()
        }
        var out = ""
        if state.progressShown { out += "\r\u{1b}[K" }
        if let stats { out += StatsLine.render(snapshot(summary: true, now: MonotonicClock().now), as: stats.format) + "\n" }
        emit(out)
    }

    private func run() {
        let clock = MonotonicClock()
        var nextStats = stats?.interval.map { state.start + $0 }
        var nextProgress = progress.map { _ in state.start + Self.progressPeriod }
        while true {
            let due = [nextStats, nextProgress].compactMap { $0 }.min()!
            if MonotonicClock.wait(on: wake.read, until: due) { return }
            let now = clock.now
            var out = ""
            if let next = nextStats, let stats, let interval = stats.interval, now >= next {
                if state.progressShown { out += "\r\u{1b}[K" }
                out += StatsLine.render(snapshot(summary: false, now: now), as: stats.format) + "\n"
                // The next tick on the grid, skipping ticks missed while stalled.
                var following = next + interval
                while following <= now { following += interval }
                nextStats = following
                if state.progressShown { out += progressText(now: now) }
            }
            if let next = nextProgress, now >= next {
                out += "\r" + progressText(now: now) + "\u{1b}[K"
                state.progressShown = true
                nextProgress = now + Self.progressPeriod
            }
            emit(out)
        }
    }

    private func progressText(now: Duration) -> String {
        guard let progress else { return "" }
        return ProgressMeter.line(total: progress.total, consumed: progress.consumed, messages: traffic.messages,
                                  bytes: traffic.bytes, elapsed: seconds(now - state.start))
    }

    /// A reading: the interval since the last one, or (summary) the whole run.
    private func snapshot(summary: Bool, now: Duration) -> StatsSnapshot {
        let messages = reading.messages, bytes = reading.bytes
        var s = StatsSnapshot(summary: summary, elapsed: seconds(now - state.start),
                              span: seconds(now - (summary ? state.start : state.lastTick)),
                              messages: summary ? messages : messages - state.lastMessages,
                              bytes: summary ? bytes : bytes - state.lastBytes,
                              totalMessages: messages, totalBytes: bytes)
        for (index, part) in parts.enumerated() {
            let total = (messages: part.reading.messages, bytes: part.reading.bytes)
            let last = state.lastParts[index]
            s.parts.append(PartFigures(name: part.name, messages: summary ? total.messages : total.messages - last.messages,
                                       bytes: summary ? total.bytes : total.bytes - last.bytes,
                                       totalMessages: total.messages, totalBytes: total.bytes))
            if !summary { state.lastParts[index] = total }
        }
        if let latency {
            let counts = latency.counts()
            if summary {
                s.latency = LatencyFigures(counts: counts, maximum: latency.maximum)
            } else {
                let interval = zip(counts, state.lastLatency.isEmpty ? Array(repeating: 0, count: counts.count) : state.lastLatency).map { $0 - $1 }
                s.latency = LatencyFigures(counts: interval, maximum: latency.takeIntervalMaximum())
                state.lastLatency = counts
            }
        }
        if let sequences {
            let peers = sequences.peers.map { (label: $0.label, pipe: $0.pipeID, counts: $0.counts) }
            s.sequence = SeqFigures(total: peers.reduce(SeqCounts()) { $0 + $1.counts }, unnumbered: sequences.unnumbered,
                                    peers: summary ? peers : peers.filter { state.lastPeerCounts[$0.pipe] != $0.counts })
            for peer in peers { state.lastPeerCounts[peer.pipe] = peer.counts }
        }
        if !summary {
            state.lastTick = now
            state.lastMessages = messages
            state.lastBytes = bytes
        }
        return s
    }

    private func seconds(_ duration: Duration) -> Double {
        let (s, atto) = duration.components
        return Double(s) + Double(atto) / 1e18
    }

    private func emit(_ text: String) {
        guard !text.isEmpty else { return }
        Array(text.utf8).withUnsafeBytes { _ = try? OutputWriter.writeAll($0, to: 2) }
    }
}

/// The reporter's readings between ticks.
private final class ReporterState: @unchecked Sendable {
    // @unchecked: used by the reporter thread while it runs and by `finish()`
    // only after joining it; `start()` sets it before the thread exists.
    // `thread` is touched only by the owner's thread, in start() and finish().
    var thread: JoinableThread?
    var started = false
    var finished = false
    var start: Duration
    var lastTick: Duration
    var lastMessages = 0
    var lastBytes = 0
    var lastParts: [(messages: Int, bytes: Int)]
    var lastLatency: [Int] = []
    var lastPeerCounts: [UInt32: SeqCounts] = [:]
    var progressShown = false

    init(start: Duration, parts: Int) {
        self.start = start
        lastTick = start
        lastParts = Array(repeating: (messages: 0, bytes: 0), count: parts)
    }
}
