@preconcurrency import Glibc
import NNGCore

// usage: swift-stream URL COUNT     prints messages per second on stdout
//
// A producer thread queues messages into a MessageSender (whose aio callback
// chains each send); this thread drains a MessageReceiver (whose aio callback
// chains each receive). The counterpart of bench/core/c_stream.c.

@main
enum SwiftStream {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count == 3, let total = Int(arguments[2]), total > 0 else {
            fputs("usage: swift-stream URL COUNT\n", stderr)
            exit(2)
        }
        do {
            let rate = try run(url: arguments[1], total: total)
            print(Int(rate.rounded()))
        } catch {
            fputs("swift-stream: \(error)\n", stderr)
            exit(1)
        }
    }

    static func run(url: String, total: Int) throws -> Double {
        let pull = try Socket(.pull0)
        defer { pull.close() }
        let push = try Socket(.push0)
        defer { push.close() }
        try pull.listen(url)
        try push.dial(url)
        let receiver = try MessageReceiver(socket: pull, capacity: 1024, idleTimeout: .after(.seconds(10)))
        defer { receiver.close() }
        let sender = try MessageSender(socket: push, capacity: 1024, timeout: .after(.seconds(10)))
        defer { sender.close() }

        let clock = ContinuousClock()
        let start = clock.now
        receiver.start()
        let producer = Producer(sender: sender, total: total)
        let thread = try producer.start()
        var expected = 0
        var failure: (any Error)?
        do {
            while expected < total {
                guard let message = try receiver.next() else { break }
                let sequence = message.withUnsafeBytes { $0.loadUnaligned(as: Int.self) }
                guard sequence == expected else {
                    throw BenchFailure("got message \(sequence), expected \(expected)")
                }
                expected += 1
            }
        } catch {
            failure = error
        }
        let elapsed = clock.now - start
        if failure != nil { sender.close() }
        pthread_join(thread, nil)
        if let failure { throw failure }
        if let error = producer.failure { throw error }
        let (seconds, attoseconds) = elapsed.components
        return Double(total) / (Double(seconds) + Double(attoseconds) / 1e18)
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Feeds the sender from its own thread. `failure` is written by that thread
/// and read only after `pthread_join`, which orders the two.
final class Producer: @unchecked Sendable {
    let sender: MessageSender
    let total: Int
    var failure: (any Error)?

    init(sender: MessageSender, total: Int) {
        self.sender = sender
        self.total = total
    }

    func start() throws -> pthread_t {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let result = pthread_create(&thread, nil, producerMain, context)
        guard result == 0 else {
            Unmanaged<Producer>.fromOpaque(context).release()
            throw BenchFailure("pthread_create failed: \(result)")
        }
        return thread
    }

    func produce() {
        do {
            for sequence in 0..<total {
                try sender.send(Message(count: 16) { body in
                    body.storeBytes(of: sequence, as: Int.self)
                    body.storeBytes(of: 0, toByteOffset: 8, as: Int.self)
                })
            }
            let (notAccepted, error) = sender.finish(until: .after(.seconds(30)))
            if let error { throw error }
            if notAccepted > 0 { throw BenchFailure("\(notAccepted) messages not accepted") }
        } catch {
            failure = error
        }
    }
}

/// The producer thread's entry point: a named file-scope function, never a
/// closure formed in main-actor code.
private func producerMain(_ context: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    Unmanaged<Producer>.fromOpaque(context!).takeRetainedValue().produce()
    return nil
}
