import NNGCore
import Synchronization

/// Shared state of the worker threads of one bench run.
final class BenchCollector: Sendable {
    private struct State {
        var received = 0
        var lastAt: Int64 = 0
        var firstAt: Int64 = 0
        var latencies: [Int64] = []
        var error: CLIError?
    }
    private let state = Mutex(State())

    func record(received: Int, first: Int64, last: Int64, latencies: [Int64] = []) {
        state.withLock {
            $0.received += received
            if received > 0 {
                $0.lastAt = max($0.lastAt, last)
                $0.firstAt = $0.firstAt == 0 ? first : min($0.firstAt, first)
            }
            $0.latencies += latencies
        }
    }

    func fail(_ error: CLIError) { state.withLock { if $0.error == nil { $0.error = error } } }

    var snapshot: (received: Int, first: Int64, last: Int64, latencies: [Int64], error: CLIError?) {
        state.withLock { ($0.received, $0.firstAt, $0.lastAt, $0.latencies, $0.error) }
    }
}

enum BenchStreams {
    static let peerWait: Duration = .seconds(30)

    static func open(_ proto: SocketProtocol) throws(CLIError) -> Socket {
        do throws(NNGError) { return try Socket(proto) } catch { throw CLIError(error) }
    }

    static func waitForPeers(_ socket: Socket, _ count: Int) throws(CLIError) {
        guard socket.peers.waitForPeers(count, timeout: peerWait) else {
            throw CLIError("no peer connected within 30s", status: .timeout)
        }
    }

    /// Sends `count` messages of `size` bytes through the callback-chained
    /// sender and waits until the socket has accepted them all.
    static func sendAll(on socket: Socket, count: Int, size: Int) throws(CLIError) {
        let outcome: (notAccepted: Int, error: NNGError?)
        do throws(NNGError) {
            let sender = try MessageSender(socket: socket, capacity: 1024)
            defer { sender.close() }
            for _ in 0..<count {
                try sender.send(try Message(count: size) { $0.initializeMemory(as: UInt8.self, repeating: 0x61) })
            }
            outcome = sender.finish(until: .after(.seconds(30)))
        } catch { throw CLIError(error) }
        if let error = outcome.error { throw CLIError(error) }
        if outcome.notAccepted > 0 { throw CLIError("\(outcome.notAccepted) messages not sent") }
    }

    /// Receives up to `count` messages; stops after `idle` without one
    /// (the first message may take up to 30 s when the sender is another process).
    static func receiveAll(on socket: Socket, count: Int, idle: Duration, progress: BenchProgress, into collector: BenchCollector) {
        do throws(NNGError) {
            let receiver = try MessageReceiver(socket: socket, capacity: 1024)
            defer { receiver.close() }
            receiver.start()
            var received = 0, first: Int64 = 0, last: Int64 = 0
            while received < count {
                let wait = received == 0 ? peerWait : idle
                guard try receiver.next(until: .after(wait)) != nil else { break }
                last = benchNow()
                if received == 0 { first = last }
                received += 1
                if received & 1023 == 0 { progress.add(1024) }
            }
            collector.record(received: received, first: first, last: last)
        } catch {
            collector.fail(CLIError(error))
        }
    }
}

/// push → pull: one pusher, one puller.
enum BenchPush {
    static func run(_ config: BenchConfig) throws(CLIError) -> BenchResult {
        let progress = BenchProgress(total: config.count)
        defer { progress.stop() }
        let collector = BenchCollector()
        var pull: Socket?, push: Socket?
        defer { push?.close(); pull?.close() }
        if config.role != .sender { pull = try BenchStreams.open(.pull0) }
        if config.role != .receiver { push = try BenchStreams.open(.push0) }
        if let pull, config.listens(usualListener: true) { try config.attach(pull, usualListener: true) }
        if let push { try config.attach(push, usualListener: false) }
        if let pull, !config.listens(usualListener: true) { try config.attach(pull, usualListener: true) }

        var reader: JoinableThread?
        if let pull {
            reader = JoinableThread {
                BenchStreams.receiveAll(on: pull, count: config.count, idle: .seconds(2), progress: progress, into: collector)
            }
        }
        var start: Int64 = 0, sendEnd: Int64 = 0
        if let push {
            try BenchStreams.waitForPeers(push, 1)
            start = benchNow()
            try BenchStreams.sendAll(on: push, count: config.count, size: config.size)
            if config.role == .sender { _ = push.waitUntilFlushed(timeout: .seconds(30)) }
            sendEnd = benchNow()
        }
        reader?.join()
        let got = collector.snapshot
        if let error = got.error { throw error }
        switch config.role {
        case .sender:
            return BenchResult(messages: config.count, bytes: config.count * config.size, nanoseconds: sendEnd - start, expected: config.count)
        case .receiver:
            return BenchResult(messages: got.received, bytes: got.received * config.size, nanoseconds: got.last - got.first, expected: config.count)
        case .both:
            return BenchResult(messages: got.received, bytes: got.received * config.size, nanoseconds: max(got.last, sendEnd) - start, expected: config.count)
        }
    }
}

/// pub → K subscribers. Subscribers that fall behind lose messages: the lost
/// count is reported. Here the publisher takes the listening end (the
/// subscribers dial it), unless `--dial` makes it dial one subscriber.
enum BenchPubSub {
    static func run(_ config: BenchConfig) throws(CLIError) -> BenchResult {
        let subscriberCount = config.role == .sender ? 0 : config.subscribers
        let progress = BenchProgress(total: config.count * max(1, subscriberCount))
        defer { progress.stop() }
        let collector = BenchCollector()
        var subs: [Socket] = []
        var pub: Socket?
        defer { pub?.close(); for sub in subs { sub.close() } }
        if config.role != .receiver {
            pub = try BenchStreams.open(.pub0)
            if config.listens(usualListener: true) { try config.attach(pub!, usualListener: true) }
        }
        for _ in 0..<subscriberCount {
            let sub = try BenchStreams.open(.sub0)
            do throws(NNGError) { try sub.subscribe(to: []) } catch { throw CLIError(error) }
            try config.attach(sub, usualListener: false)
            subs.append(sub)
        }
        if let pub, !config.listens(usualListener: true) { try config.attach(pub, usualListener: true) }
        let readers = subs.map { sub in
            JoinableThread {
                BenchStreams.receiveAll(on: sub, count: config.count, idle: .seconds(1), progress: progress, into: collector)
            }
        }
        var start: Int64 = 0, sendEnd: Int64 = 0
        if let pub {
            try BenchStreams.waitForPeers(pub, config.subscribers)
            start = benchNow()
            try BenchStreams.sendAll(on: pub, count: config.count, size: config.size)
            if config.role == .sender { _ = pub.waitUntilFlushed(timeout: .seconds(30)) }
            sendEnd = benchNow()
        }
        for reader in readers { reader.join() }
        let got = collector.snapshot
        if let error = got.error { throw error }
        let expected = config.count * max(1, subscriberCount)
        switch config.role {
        case .sender:
            return BenchResult(messages: config.count, bytes: config.count * config.size, nanoseconds: sendEnd - start, expected: config.count)
        case .receiver:
            return BenchResult(messages: got.received, bytes: got.received * config.size, nanoseconds: got.last - got.first, expected: expected)
        case .both:
            return BenchResult(messages: got.received, bytes: got.received * config.size, nanoseconds: max(got.last, sendEnd) - start, expected: expected)
        }
    }
}
