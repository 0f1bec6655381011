import NNGCore

/// `listen --rep` / `--respondent`: `--echo`, `--reply` and reply templates
/// are answered from completion callbacks (`ReplyResponders`). `--exec` runs
/// a process per request, so there `--jobs N` contexts each have a thread
/// that receives a request, prints it and answers with the command's output.
/// A failing `--exec` is reported and that request gets no answer.
/// `--stats` counts requests as the messages and the answers as `replies`.
struct ReplyServer {
    let settings: ListenSettings
    let socket: Socket
    let reply: ReplyAction
    let reporter: LiveReporter
    /// Answers sent, when `--stats` shows them.
    let answered: TrafficCounter?

    func run() throws(CLIError) {
        guard case .exec(let command) = reply else {
            return try ReplyResponders(settings: settings, socket: socket, reply: reply, reporter: reporter, answered: answered).run()
        }
        var contexts: [Context] = []
        do {
            for _ in 0..<settings.jobs { contexts.append(try Context(on: socket)) }
        } catch {
            throw CLIError(error)
        }
        let shared = WorkerState()
        let workers = contexts.map { context in
            JoinableThread { [settings] in
                serve(context: context, settings: settings, command: command, shared: shared)
            }
        }
        workers.forEach { $0.join() }
        contexts.forEach { $0.close() }
        if let ending = shared.ending, ending.status != .success { throw ending }
    }

    private func serve(context: Context, settings: ListenSettings, command: String, shared: WorkerState) {
        let aio: AIO
        do { aio = try AIO() } catch {
            shared.finish(CLIError(error))
            return
        }
        defer { aio.close() }
        var output = OutputBuffer(reserving: 4096)
        var printer = settings.socket.outputTemplate.map { TemplatePrinter(template: $0, settings: settings.socket) }
        while true {
            let sequence = shared.claim()
            if let count = settings.count, sequence > count { return }
            aio.startReceive(on: context, timeout: Timeout(settings.socket.receiveTimeout))
            aio.wait()
            do throws(NNGError) { try aio.result() } catch {
                shared.finish(ReceiveEnd.outcome(error, received: sequence - 1, settings: settings))
                socket.close()  // wakes the other contexts
                return
            }
            guard let request = aio.takeMessage() else { continue }
            if reporter.isActive { reporter.traffic.add(bytes: request.count) }
            // Contexts run on several threads: requests pipelined by one peer
            // may be checked in another order than they arrived.
            if let sequences = reporter.sequences {
                request.withUnsafeBytes { sequences.observeShared($0, pipe: request.pipe) }
            }
            let metadata = MessageMetadata(sequence: sequence, peer: request.pipe?.remoteAddress)
            output.removeAll()
            if printer != nil {
                printer!.print(request, sequence: sequence, into: &output)
            } else {
                request.withUnsafeBytes { body in
                    MessageEncoder.encode(body, as: settings.socket.format, into: &output, separator: settings.socket.separator,
                                          metadata: settings.socket.format == .json ? metadata : nil)
                }
            }
            do throws(CLIError) {
                if output.count > 0 { try shared.write(output.bytes) }
                let outcome = try request.withUnsafeBytes { (body) throws(CLIError) in
                    try CommandRunner.run(command, input: body, environment: CommandRunner.environment(for: metadata))
                }
                guard outcome.status == 0 else {
                    Diagnostics.error("--exec command exited with status \(outcome.status); request \(sequence) not answered")
                    continue
                }
                let answer = outcome.output
                do throws(NNGError) {
                    aio.startSend(try Message(answer), on: context, timeout: Timeout(settings.socket.sendTimeout))
                    aio.wait()
                    try aio.result()
                    answered?.add(bytes: answer.count)
                } catch {
                    if error.code == .closed { return }
                    Diagnostics.error("reply to request \(sequence): \(error.code.text)")
                }
            } catch {
                shared.finish(error)
                socket.close()
                return
            }
        }
    }
}
