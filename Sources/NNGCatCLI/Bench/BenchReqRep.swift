import NNGCore
import Glibc
import Synchronization

/// req → rep round trips: each client is a req Context doing one request at
/// a time with its own AIO; the rep side echoes from completion callbacks
/// (`Responder`) on as many Contexts, as a C server on libnng would.
enum BenchReqRep {
    static func run(_ config: BenchConfig) throws(CLIError) -> BenchResult {
        let progress = BenchProgress(total: config.count)
        defer { progress.stop() }
        let collector = BenchCollector()
        var rep: Socket?, req: Socket?
        if config.role != .sender { rep = try BenchStreams.open(.rep0) }
        if config.role != .receiver { req = try BenchStreams.open(.req0) }
        if let rep, config.listens(usualListener: true) { try config.attach(rep, usualListener: true) }
        if let req { try config.attach(req, usualListener: false) }
        if let rep, !config.listens(usualListener: true) { try config.attach(rep, usualListener: true) }

        var server: BenchEchoServer?
        if let rep { server = try BenchEchoServer(rep, contexts: max(config.clients, 4), progress: config.role == .receiver ? progress : nil) }
        var start: Int64 = 0, end: Int64 = 0
        if let req {
            try BenchStreams.waitForPeers(req, 1)
            start = benchNow()
            let clients = (0..<config.clients).map { index in
                let share = config.count / config.clients + (index < config.count % config.clients ? 1 : 0)
                return Result { () throws(CLIError) in try makeContext(req) }.map { context in
                    JoinableThread { ask(context, times: share, size: config.size, progress: progress, into: collector) }
                }
            }
            for client in clients { try? client.get().join() }
            end = benchNow()
        }
        // Serving another process, the server ends after `--count` requests
        // or 2 s without one; in-process, the clients are done. Its
        // responders stop before the sockets close.
        let served = server?.finish(limit: config.role == .receiver ? config.count : nil)
        req?.close()
        rep?.close()
        let got = collector.snapshot
        if let served, let failure = served.failure { throw CLIError(failure) }
        if let error = got.error { throw error }
        if config.role == .receiver, let served {
            return BenchResult(messages: served.answered, bytes: served.answered * config.size, nanoseconds: served.last - served.first, expected: config.count)
        }
        return BenchResult(messages: got.latencies.count, bytes: got.latencies.count * config.size * 2,
                           nanoseconds: end - start, expected: config.count, latencies: got.latencies)
    }

    static func makeContext(_ socket: Socket) throws(CLIError) -> Context {
        do throws(NNGError) { return try Context(on: socket) } catch { throw CLIError(error) }
    }

    /// One client: `times` requests in a row, timing each round trip.
    static func ask(_ context: Context, times: Int, size: Int, progress: BenchProgress, into collector: BenchCollector) {
        var latencies: [Int64] = []
        latencies.reserveCapacity(times)
        do throws(NNGError) {
            let aio = try AIO()
            defer { aio.close() }
            for _ in 0..<times {
                let request = try Message(count: size) { $0.initializeMemory(as: UInt8.self, repeating: 0x61) }
                let sent = benchNow()
                aio.startSend(request, on: context, timeout: .after(.seconds(30)))
                aio.wait()
                try aio.result()
                aio.startReceive(on: context, timeout: .after(.seconds(30)))
                aio.wait()
                try aio.result()
                _ = aio.takeMessage()
                latencies.append(benchNow() - sent)
                progress.add()
            }
        } catch {
            collector.fail(CLIError(error))
        }
        collector.record(received: latencies.count, first: 0, last: 0, latencies: latencies)
    }

}

/// The rep side: one `Responder` per context, each sending every request
/// straight back (the same message, no copy).
final class BenchEchoServer {
    struct Outcome {
        let answered: Int
        let first: Int64
        let last: Int64
        let failure: NNGError?
    }

    /// When the first and the latest request were answered.
    private final class AnswerTimes: Sendable {
        let first = Atomic<Int64>(0)
        let last = Atomic<Int64>(0)
    }

    private var responders: [Responder] = []
    private let times = AnswerTimes()

    init(_ socket: Socket, contexts: Int, progress: BenchProgress?) throws(CLIError) {
        let times = self.times
        for _ in 0..<contexts {
            let context = try BenchReqRep.makeContext(socket)
            do {
                responders.append(try Responder(context: context) { request in
                    let now = benchNow()
                    _ = times.first.compareExchange(expected: 0, desired: now, ordering: .relaxed)
                    times.last.store(now, ordering: .relaxed)
                    progress?.add()
                    return request
                })
            } catch {
                throw CLIError(error)
            }
        }
        responders.forEach { $0.start() }
    }

    private var answered: Int { responders.reduce(0) { $0 + $1.answered } }

    /// With a `limit`, waits for that many answers, or until none came for
    /// 2 s (30 s before the first). Then stops the responders.
    func finish(limit: Int?) -> Outcome {
        if let limit {
            var seen = 0
            var quietSince = benchNow()
            while answered < limit {
                usleep(5_000)
                let now = benchNow(), count = answered
                if count != seen {
                    seen = count
                    quietSince = now
                } else if now - quietSince > (count == 0 ? 30 : 2) * 1_000_000_000 {
                    break
                }
            }
        }
        responders.forEach { $0.stop() }
        return Outcome(answered: answered, first: times.first.load(ordering: .relaxed), last: times.last.load(ordering: .relaxed),
                       failure: responders.lazy.compactMap(\.failure).first)
    }
}
