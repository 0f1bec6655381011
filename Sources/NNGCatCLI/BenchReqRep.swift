import NNGCore

/// req → rep round trips: each client is a req Context doing one request at
/// a time with its own AIO; the rep side answers on as many Contexts.
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

        var servers: [JoinableThread] = []
        if let rep {
            for _ in 0..<max(config.clients, 4) {
                let context = try makeContext(rep)
                servers.append(JoinableThread { serve(context, limit: config.role == .receiver ? config.count : Int.max, progress: progress, into: collector) })
            }
        }
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
            req.close()
            rep?.close()
        }
        // In-process the servers end when the sockets close; serving another
        // process they end after `--count` requests or 2 s without one.
        for server in servers { server.join() }
        let got = collector.snapshot
        rep?.close()
        if let error = got.error { throw error }
        if config.role == .receiver {
            return BenchResult(messages: got.received, bytes: got.received * config.size, nanoseconds: got.last - got.first, expected: config.count)
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

    /// One server context: echo every request until the socket closes, the
    /// limit is reached, or (serving another process) 2 s pass without one.
    static func serve(_ context: Context, limit: Int, progress: BenchProgress, into collector: BenchCollector) {
        guard let aio = try? AIO() else { return }
        defer { aio.close() }
        var served = 0, first: Int64 = 0, last: Int64 = 0
        let idle: Timeout = limit == Int.max ? .infinite : .after(.seconds(2))
        while served < limit {
            aio.startReceive(on: context, timeout: served == 0 ? .after(.seconds(30)) : idle)
            aio.wait()
            guard (try? aio.result()) != nil, let request = aio.takeMessage() else { break }
            aio.startSend(request, on: context)
            aio.wait()
            guard (try? aio.result()) != nil else { break }
            last = benchNow()
            if served == 0 { first = last }
            served += 1
            if limit != Int.max { progress.add() }
        }
        if limit != Int.max { collector.record(received: served, first: first, last: last) }
    }
}
