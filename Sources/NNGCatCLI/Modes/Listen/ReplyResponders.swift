import NNGCore

/// `listen --rep`/`--respondent` with `--echo`, `--reply TEXT` or a reply
/// template: one `Responder` per context (`--jobs N`), each answering from
/// libnng's completion callbacks, as a C server does, with no thread woken
/// per request. The callbacks print the requests into `ReplyOutput`; this
/// thread writes them and whatever else must reach stdout or stderr.
struct ReplyResponders {
    let settings: ListenSettings
    let socket: Socket
    let reply: ReplyAction
    let reporter: LiveReporter
    /// Answers sent, when `--stats` shows them.
    let answered: TrafficCounter?

    func run() throws(CLIError) {
        let output = ReplyOutput(settings: settings, reporter: reporter)
        var contexts: [Context] = []
        var responders: [Responder] = []
        defer {
            responders.forEach { $0.stop() }
            contexts.forEach { $0.close() }
        }
        do throws(NNGError) {
            for index in 0..<settings.jobs {
                let context = try Context(on: socket)
                contexts.append(context)
                let inFlight = InFlight()
                let hooks = Responder.Hooks(
                    mayReceive: { output.mayReceive(index) },
                    replied: { [answered] failure in
                        if let failure {
                            output.note("reply to request \(inFlight.sequence): \(failure.code.text)")
                        } else {
                            answered?.add(bytes: inFlight.replySize)
                        }
                    },
                    ended: { output.end($0) })
                responders.append(try Responder(context: context, receiveTimeout: Timeout(settings.socket.receiveTimeout),
                                                sendTimeout: Timeout(settings.socket.sendTimeout), hooks: hooks,
                                                answer: Self.answer(reply, output: output, inFlight: inFlight)))
            }
        } catch {
            throw CLIError(error)
        }
        responders.forEach { $0.start() }
        var stopped = false
        while true {
            switch output.next(quiet: ListenMode.quietBeforeFlush) {
            case .bytes(let chunk):
                do throws(OutputWriter.Failure) {
                    try chunk.withBytes { (bytes) throws(OutputWriter.Failure) in try OutputWriter.writeAll(bytes, to: 1) }
                } catch {
                    throw ListenMode.writeError(error)
                }
                for index in output.recycle(chunk) { responders[index].resume() }
            case .notes(let lines):
                lines.forEach { Diagnostics.error($0) }
            case .finished(let ending):
                // Stopped first, so what a responder still printed after the
                // end is written too before we leave.
                if !stopped {
                    responders.forEach { $0.stop() }
                    stopped = true
                    continue
                }
                guard let ending else { return }
                let outcome = ReceiveEnd.outcome(ending, received: output.received, settings: settings)
                if outcome.status != .success { throw outcome }
                return
            }
        }
    }

    /// The request a responder is answering, for its `replied` hook. Touched
    /// only from that responder's callbacks, one operation after another.
    private final class InFlight: @unchecked Sendable {
        var sequence = 0
        var replySize = 0
        var renderer = TemplateRenderer()
        var rendered = OutputBuffer(reserving: 256)
    }

    /// Runs in a completion callback: prints the request, then makes its reply.
    private static func answer(_ reply: ReplyAction, output: ReplyOutput, inFlight: InFlight) -> Responder.Answer {
        { request in
            let sequence = output.take(request)
            inFlight.sequence = sequence
            let answer: Message
            do throws(NNGError) {
                switch reply {
                case .echo:
                    answer = request
                case .text(let text):
                    answer = try Message(text)
                case .template(let template):
                    inFlight.rendered.removeAll()
                    request.withUnsafeBytes { body in
                        inFlight.renderer.render(template, .init(sequence: sequence, body: body), into: &inFlight.rendered)
                    }
                    answer = try Message(inFlight.rendered.bytes)
                case .exec:
                    preconditionFailure("--exec replies run on threads (ReplyServer)")
                }
            } catch {
                output.note("reply to request \(sequence): \(error.code.text)")
                return nil
            }
            inFlight.replySize = answer.count
            return answer
        }
    }
}
