import NNGCore

/// `send --req` and `send --surveyor`: each message goes out, then the reply
/// (or every response within the survey time) is printed.
struct RequestLoop {
    let settings: SendSettings
    let socket: Socket
    let reporter: LiveReporter

    /// A request with no reply is not waited on forever by default.
    static let defaultReplyTimeout: Duration = .seconds(10)

    func run() throws(CLIError) {
        var output = OutputWriter()
        let aio: AIO
        do { aio = try AIO() } catch { throw CLIError(error) }
        defer { aio.close() }
        let surveying = settings.socket.socketProtocol == .surveyor0
        let replyTimeout = settings.socket.receiveTimeout ?? Self.defaultReplyTimeout
        var sequence = 0
        var printer = settings.socket.outputTemplate.map { TemplatePrinter(template: $0, settings: settings.socket) }
        let traffic = reporter.isActive ? reporter.traffic : nil
        let clock = MonotonicClock()
        try MessageFeed(settings: settings, progress: reporter.progress).forEach { body throws(CLIError) in
            let sentAt = clock.now
            do throws(NNGError) {
                aio.startSend(try Message(bytes: body), on: socket, timeout: Timeout(settings.socket.sendTimeout))
                aio.wait()
                try aio.result()
            } catch {
                throw CLIError(NNGError(error.code, operation: surveying ? "send survey" : "send request"))
            }
            traffic?.add(bytes: body.count)
            repeat {
                aio.startReceive(on: socket, timeout: surveying ? .infinite : .after(replyTimeout))
                aio.wait()
                do throws(NNGError) {
                    try aio.result()
                } catch {
                    if surveying && (error.code == .timedOut || error.code == .incorrectState) { break }
                    if error.code == .timedOut {
                        throw CLIError("no reply within \(DurationText.format(replyTimeout)) (see --recv-timeout)", status: .timeout)
                    }
                    throw CLIError(NNGError(error.code, operation: "receive reply"))
                }
                guard let reply = aio.takeMessage() else { continue }
                if let latency = reporter.latency {
                    let (seconds, attoseconds) = (clock.now - sentAt).components
                    latency.record(nanoseconds: Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
                }
                sequence += 1
                if printer != nil {
                    printer!.print(reply, sequence: sequence, into: &output.buffer)
                } else {
                    let metadata = settings.socket.format == .json ? MessageMetadata(sequence: sequence, peer: reply.pipe?.remoteAddress) : nil
                    reply.withUnsafeBytes { bytes in
                        MessageEncoder.encode(bytes, as: settings.socket.format, into: &output.buffer,
                                              separator: settings.socket.separator, metadata: metadata)
                    }
                }
                do throws(OutputWriter.Failure) { try output.flush() } catch {
                    if error == .closedByReader { throw CLIError("stdout closed", status: .success) }
                    throw CLIError("cannot write to stdout: \(error)")
                }
            } while surveying
        }
    }
}
