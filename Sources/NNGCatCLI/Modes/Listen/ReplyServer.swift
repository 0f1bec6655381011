import NNGCore

/// `listen --rep` / `--respondent`: `--jobs N` contexts, each on its own
/// thread, receive a request, print it, and answer with `--reply`, `--echo`
/// or `--exec`. A failing `--exec` is reported and that request gets no answer.
/// `--stats` counts requests as the messages and the answers as `replies`.
struct ReplyServer {
    let settings: ListenSettings
    let socket: Socket
    let reply: ReplyAction
    let reporter: LiveReporter
    /// Answers sent, when `--stats` shows them.
    let answered: TrafficCounter?

    func run() throws(CLIError) {
        var contexts: [Context] = []
        do {
            for _ in 0..<settings.jobs { contexts.append(try Context(on: socket)) }
        } catch {
            throw CLIError(error)
        }
        let shared = WorkerState()
        let workers = contexts.map { context in
            JoinableThread { [settings, reply] in
                serve(context: context, settings: settings, reply: reply, shared: shared)
            }
        }
        workers.forEach { $0.join() }
        contexts.forEach { $0.close() }
        if let ending = shared.ending, ending.status != .success { throw ending }
    }

    private func serve(context: Context, settings: ListenSettings, reply: ReplyAction, shared: WorkerState) {
        let aio: AIO
        do { aio = try AIO() } catch {
            shared.finish(CLIError(error))
            return
        }
        defer { aio.close() }
        var output = OutputBuffer(reserving: 4096)
        var printer = settings.socket.outputTemplate.map { TemplatePrinter(template: $0, settings: settings.socket) }
        var replies = TemplateRenderer()
        var rendered = OutputBuffer(reserving: 256)
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
                let answer: [UInt8]
                switch reply {
                case .text(let text): answer = text
                case .template(let template):
                    rendered.removeAll()
                    request.withUnsafeBytes { body in
                        replies.render(template, .init(sequence: sequence, body: body), into: &rendered)
                    }
                    answer = rendered.bytes
                case .echo: answer = request.bytes
                case .exec(let command):
                    let outcome = try request.withUnsafeBytes { (body) throws(CLIError) in
                        try CommandRunner.run(command, input: body, environment: CommandRunner.environment(for: metadata))
                    }
                    guard outcome.status == 0 else {
                        Diagnostics.error("--exec command exited with status \(outcome.status); request \(sequence) not answered")
                        continue
                    }
                    answer = outcome.output
                }
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
