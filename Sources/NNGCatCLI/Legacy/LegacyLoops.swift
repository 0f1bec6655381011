import NNGCore

/// The C nngcat's four loops (`recvloop`, `resploop`, `sendloop`,
/// `sendrecv`), each send and receive an aio operation with its own timeout
/// in place of the C tool's blocking calls and socket-wide timeouts.
struct LegacyLoops: ~Copyable {
    let settings: LegacySettings
    let run: LegacyRun
    var output: LegacyOutput
    private let aio: AIO

    init(settings: LegacySettings, run: LegacyRun) throws(LegacyExit) {
        self.settings = settings
        self.run = run
        output = LegacyOutput(format: settings.format)
        do { aio = try AIO() } catch { throw .failure("Out of memory.") }
    }

    deinit { aio.close() }

    private var socket: Socket { run.socket }
    private var data: [UInt8] { settings.data ?? [] }

    /// `--recv-timeout` / `--send-timeout` as the C tool applies them: only
    /// when above zero.
    private var receiveTimeout: Timeout { timeout(settings.receiveTimeout) }
    private var sendTimeout: Timeout { timeout(settings.sendTimeout) }
    private func timeout(_ milliseconds: Int?) -> Timeout {
        guard let milliseconds, milliseconds > 0 else { return .infinite }
        return .after(.milliseconds(milliseconds))
    }

    /// Picks the loop for the protocol, as the C tool's `main` does.
    mutating func execute() throws(LegacyExit) {
        switch settings.socketProtocol {
        case .sub0, .pull0:
            try receiveLoop()
        case .rep0, .respondent0:
            if settings.data == nil { try receiveLoop() } else { try replyLoop() }
        case .push0, .pub0:
            try sendLoop()
        case .bus0, .pair0, .pair1:
            if settings.data != nil { try sendReceive() } else { try receiveLoop() }
        case .req0, .surveyor0:
            try sendReceive()
        }
    }

    // MARK: The loops

    /// Prints what arrives until a receive times out (or a survey or request
    /// is over), or `--count` receives.
    private mutating func receiveLoop(count: Int? = nil) throws(LegacyExit) {
        let count = count ?? settings.count
        var iterations = 0
        while count == 0 || iterations < count {
            iterations += 1
            let received = receive(timeout: receiveTimeout)
            switch consume received {
            case .message(let message):
                try output.print(message)
            case .failed(let code):
                if code == .timedOut || code == .incorrectState { return }
                throw .failure("Receive error: \(code.text)")
            }
        }
    }

    /// rep/respondent with data: answer every request with it (any receive
    /// error, a timeout included, is fatal, as in the C tool).
    private mutating func replyLoop() throws(LegacyExit) {
        var iterations = 0
        while true {
            let received = receive(timeout: receiveTimeout)
            switch consume received {
            case .failed(let code):
                throw .failure("Receive error: \(code.text)")
            case .message(var message):
                try output.print(message)
                message.clearBody()
                do throws(NNGError) {
                    try data.withBytes { (bytes) throws(NNGError) in try message.append(bytes) }
                } catch {
                    throw .failure(error.code.text)
                }
                try send(message)
            }
            iterations += 1
            if settings.count > 0 && iterations >= settings.count { break }
        }
        run.waitForDelivery()
    }

    /// push/pub: send the data once, `--count` times, or every `--interval`.
    private mutating func sendLoop() throws(LegacyExit) {
        run.sleep(milliseconds: settings.delay)
        var iterations = 0
        while true {
            let start = LegacyRun.now()
            try send(try makeMessage())
            let elapsed = LegacyRun.now() - start
            iterations += 1
            if (settings.interval == nil && settings.count == 0) || (settings.count > 0 && iterations >= settings.count) { break }
            if let interval = settings.interval, elapsed < interval { run.sleep(milliseconds: interval - elapsed) }
            if run.isStopped { throw .failure("Send error: \(NNGError.Code.closed.text)") }
        }
        run.waitForDelivery()
    }

    /// req/surveyor (and pair/bus with data): send, then print what comes back.
    private mutating func sendReceive() throws(LegacyExit) {
        run.sleep(milliseconds: settings.delay)
        guard let interval = settings.interval else {
            if settings.count == 0 {
                try send(try makeMessage())
                try receiveLoop(count: 0)
                return
            }
            // --count without --interval (the C tool fails with "Cannot set
            // recv timeout"): req/surveyor wait for each exchange's answers;
            // pair/bus send them all, then print what arrives.
            let exchanges = settings.socketProtocol == .req0 || settings.socketProtocol == .surveyor0
            for _ in 0..<settings.count {
                try send(try makeMessage())
                if exchanges { try receiveLoop(count: 0) }
            }
            if !exchanges { try receiveLoop(count: 0) }
            return
        }
        var iterations = 0
        while true {
            let start = LegacyRun.now()
            try send(try makeMessage())
            // Receive until the interval ends (or --recv-timeout, if shorter).
            receiving: while true {
                var expire = interval - (LegacyRun.now() - start)
                if let limit = settings.receiveTimeout, expire > limit { expire = limit }
                let received = receive(timeout: .after(.milliseconds(max(0, expire))))
                switch consume received {
                case .message(let message):
                    try output.print(message)
                case .failed(let code):
                    if code == .timedOut || code == .incorrectState { break receiving }
                    throw .failure("Cannot receive: \(code.text)")
                }
            }
            iterations += 1
            if settings.count > 0 && iterations >= settings.count { break }
            let elapsed = LegacyRun.now() - start
            if elapsed < interval { run.sleep(milliseconds: interval - elapsed) }
        }
    }

    // MARK: One operation each

    private func makeMessage() throws(LegacyExit) -> Message {
        do { return try Message(data) } catch { throw .failure(error.code.text) }
    }

    /// The corresponding C function is `nng_send_aio`.
    private func send(_ message: consuming Message) throws(LegacyExit) {
        aio.startSend(message, on: socket, timeout: sendTimeout)
        aio.wait()
        do throws(NNGError) { try aio.result() } catch {
            _ = aio.takeMessage()
            throw .failure("Send error: \(error.code.text)")
        }
    }

    /// The corresponding C function is `nng_recv_aio`.
    private func receive(timeout: Timeout) -> Received {
        aio.startReceive(on: socket, timeout: timeout)
        aio.wait()
        do throws(NNGError) { try aio.result() } catch { return .failed(error.code) }
        guard let message = aio.takeMessage() else { return .failed(.incorrectState) }
        return .message(message)
    }
}

/// The outcome of one receive.
enum Received: ~Copyable {
    case message(Message)
    case failed(NNGError.Code)
}
