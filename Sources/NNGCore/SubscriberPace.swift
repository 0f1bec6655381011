import Glibc

/// Holds a publisher back while its slowest subscriber is too far behind, so
/// that the pub socket never drops a message for lack of queue space.
///
/// Pub/sub has no flow control: libnng queues each message for each pipe
/// (up to `NNG_OPT_SENDBUF`, at most 8192) and drops the oldest when a queue
/// is full. A stream sent faster than a subscriber reads loses messages, as
/// the C nngcat does. This pace reads, from libnng's statistics, how much
/// each pipe has written, and lets the producer submit only while no pipe
/// lags by more than `window` messages or `byteBudget` bytes. It looks at the
/// statistics only when the room it last measured is used up.
///
/// What it cannot prevent: a subscriber's own socket drops messages when
/// its application reads more slowly than its pipe receives them.
public final class SubscriberPace: @unchecked Sendable {
    /// libnng's largest pub send queue, which the pace sets.
    static let queueLimit = 8192
    /// Room left for what the estimate misses: messages accepted between a
    /// pipe's start and its join event, and the one a pipe is writing.
    static let margin = 512
    /// Memory the queues may hold, shared by all pipes (a message is queued
    /// once, referenced by every pipe).
    public static let defaultByteBudget = 8 << 20

    private let socket: Socket
    private let acceptedSoFar: @Sendable () -> Int
    // `lock` guards `joinedAt`: pipe events arrive on NNG's threads.
    private let lock = ConditionLock()
    private var joinedAt: [UInt32: Int] = [:]
    // The rest belongs to the producer thread.
    private var backlog: SubscriberBacklog
    private var messageCredit = 0
    private var byteCredit = 0
    private var transmitted: [(pipe: UInt32, messages: Int)] = []

    /// Sets `socket`'s send queue to its largest and starts following its
    /// pipes. `acceptedSoFar` counts the messages the socket has accepted;
    /// it is called on NNG's threads and must not block. Throws
    /// `.notSupported` if libnng keeps no statistics.
    public init(socket: Socket, byteBudget: Int = SubscriberPace.defaultByteBudget,
                acceptedSoFar: @escaping @Sendable () -> Int) throws(NNGError) {
        self.socket = socket
        self.acceptedSoFar = acceptedSoFar
        backlog = SubscriberBacklog(window: Self.queueLimit - Self.margin, byteBudget: byteBudget)
        try socket.set(.sendBuffer(Self.queueLimit))
        try PipeStatistics.transmitted(on: socket, into: &transmitted)
        socket.peers.onEvent(replayingConnected: true) { [weak self] event in self?.peerChanged(event) }
    }

    /// Counts a message of `bytes` about to be sent, first waiting, if a
    /// subscriber is too far behind, until it has caught up. Throws
    /// `.timedOut` if that takes longer than `timeout`, and `.canceled` once
    /// `interrupted` says so.
    public func admit(bytes: Int, waitingAtMost timeout: Duration?, interrupted: () -> Bool) throws(NNGError) {
        if messageCredit <= 0 || byteCredit <= 0 {
            try waitForRoom(until: MonotonicDeadline.after(timeout), interrupted: interrupted)
        }
        messageCredit -= 1
        byteCredit -= bytes
        backlog.submit(bytes: bytes)
    }

    private func waitForRoom(until deadline: MonotonicDeadline?, interrupted: () -> Bool) throws(NNGError) {
        let waited = try watchPipes(until: deadline, interrupted: interrupted) { backlog, joinedAt in
            let room = backlog.room(transmitted: transmitted, joinedAt: joinedAt)
            // Go on once a quarter of the window is free, not at the first
            // free slot: a publisher that sends a few messages per snapshot
            // spends its time reading statistics.
            guard room.messages >= backlog.window / 4 && room.bytes >= backlog.byteBudget / 4 else { return false }
            (messageCredit, byteCredit) = room
            return true
        }
        switch waited {
        case .satisfied: return
        case .interrupted: throw NNGError(.canceled, operation: "send")
        case .timedOut: throw NNGError(.timedOut, operation: "send")
        }
    }

    /// Waits until every subscriber has written all it was given, or
    /// `deadline` passes: a pub socket's send descriptor is always ready, so
    /// it cannot say. Returns how many messages the furthest one still
    /// holds: 0 when all is delivered.
    public func waitUntilDelivered(until deadline: MonotonicDeadline?, interrupted: () -> Bool) -> Int {
        var lag = 0
        _ = try? watchPipes(until: deadline, interrupted: interrupted) { backlog, joinedAt in
            lag = backlog.deepestLag(transmitted: transmitted, joinedAt: joinedAt).messages
            return lag == 0
        }
        return lag
    }

    private enum Waited { case satisfied, interrupted, timedOut }

    // A subscriber drains its queue at its own pace: look again soon, then
    // back off to a few milliseconds between snapshots.
    private func watchPipes(until deadline: MonotonicDeadline?, interrupted: () -> Bool,
                            _ satisfied: (SubscriberBacklog, [UInt32: Int]) -> Bool) throws(NNGError) -> Waited {
        var pause: UInt32 = 50
        while true {
            try PipeStatistics.transmitted(on: socket, into: &transmitted)
            if lock.withLock({ satisfied(backlog, joinedAt) }) { return .satisfied }
            if interrupted() { return .interrupted }
            if let deadline, deadline.hasPassed { return .timedOut }
            usleep(pause)
            pause = min(pause * 2, 4_000)
        }
    }

    private func peerChanged(_ event: PeerEvent) {
        switch event.kind {
        case .connected:
            let accepted = acceptedSoFar()
            lock.withLock { joinedAt[event.pipe.id] = accepted }
        case .disconnected:
            lock.withLock { joinedAt[event.pipe.id] = nil }
        }
    }
}
