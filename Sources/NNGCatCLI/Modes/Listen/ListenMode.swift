import NNGCore
import Synchronization
import Glibc

/// `nngcat listen`: print what arrives (or run `--exec` on it), and answer
/// requests for rep/respondent.
enum ListenMode {
    static func run(_ settings: ListenSettings) -> ExitStatus {
        ModeRunner.run(settings.socket, closeWhenStdoutCloses: true) { (socket) throws(CLIError) in
            // Replies are shown only where there are replies, and only by --stats proper.
            let replies = settings.reply != nil && settings.stats?.interval != nil ? TrafficCounter() : nil
            let reporter = LiveReporter(stats: settings.stats, parts: replies.map { [TrafficPart(name: "replies", reading: $0)] } ?? [],
                                        sequences: settings.checkSeq ? SeqChecker() : nil)
            reporter.start()
            defer { reporter.finish() }
            if let reply = settings.reply {
                try ReplyServer(settings: settings, socket: socket, reply: reply, reporter: reporter, answered: replies).run()
            } else if let command = settings.exec, settings.jobs > 1 {
                try ExecWorkers(settings: settings, socket: socket, command: command, reporter: reporter).run()
            } else if let command = settings.exec {
                try execLoop(settings, command: command, socket: socket, reporter: reporter)
            } else {
                try StreamPrinter.run(settings, socket: socket, reporter: reporter)
            }
        }
    }

    /// How long the queue must stay empty before buffered output is written:
    /// a stream then goes out in large blocks (one write per ~60 messages
    /// cost 13,000 writes per million 16-byte lines), and a lone message
    /// still shows within about a millisecond.
    static let quietBeforeFlush: Duration = .milliseconds(1)

    /// `--exec` with one job: callback-chained receives into a bounded queue,
    /// taken here a batch at a time; each command's output is buffered and
    /// written once the queue has been empty for `quietBeforeFlush`.
    static func execLoop(_ settings: ListenSettings, command: String, socket: Socket, reporter: LiveReporter) throws(CLIError) {
        let receiver = try startReceiver(settings, socket: socket)
        defer { receiver.close() }
        var batch = MessageBatch()
        var output = OutputWriter()
        var received = 0
        let traffic = reporter.isActive ? reporter.traffic : nil
        let sequences = reporter.sequences
        do throws(CLIError) {
            while settings.count.map({ received < $0 }) ?? true {
                if batch.isEmpty {
                    // The queue ran dry. Under a stream more arrives within a
                    // millisecond: write only once it has been quiet that long.
                    var arrived = false
                    do throws(NNGError) {
                        if output.buffer.count > 0 { arrived = try receiver.takeBatch(into: &batch, until: .after(quietBeforeFlush)) }
                    } catch {
                        throw ReceiveEnd.outcome(error, received: received, settings: settings)
                    }
                    if !arrived {
                        try flush(&output)
                        do throws(NNGError) { try receiver.takeBatch(into: &batch) } catch {
                            throw ReceiveEnd.outcome(error, received: received, settings: settings)
                        }
                    }
                }
                guard let message = batch.next() else { continue }
                received += 1
                traffic?.add(bytes: message.count)
                if let sequences { message.withUnsafeBytes { sequences.observe($0, pipe: message.pipe) } }
                let metadata = MessageMetadata(sequence: received, peer: message.pipe?.remoteAddress)
                let outcome = try message.withUnsafeBytes { (body) throws(CLIError) in
                    try CommandRunner.run(command, input: body, environment: CommandRunner.environment(for: metadata))
                }
                output.buffer.append(contentsOf: outcome.output)
                if outcome.status != 0 {
                    try flush(&output)
                    Diagnostics.error("--exec command exited with status \(outcome.status) (message \(received))")
                }
                do throws(OutputWriter.Failure) { try output.flushIfFull() } catch { throw writeError(error) }
            }
            try flush(&output)
        } catch {
            try? flush(&output)
            throw error
        }
    }

    /// The receive chain, started, with `--recv-timeout` as its idle timeout.
    static func startReceiver(_ settings: ListenSettings, socket: Socket) throws(CLIError) -> MessageReceiver {
        do throws(NNGError) {
            let receiver = try MessageReceiver(socket: socket, idleTimeout: Timeout(settings.socket.receiveTimeout))
            receiver.start()
            return receiver
        } catch {
            throw CLIError(error)
        }
    }

    static func flush(_ output: inout OutputWriter) throws(CLIError) {
        do throws(OutputWriter.Failure) { try output.flush() } catch { throw writeError(error) }
    }

    /// A reader that went away (`| head -1`) ends us quietly, with status 0.
    static func writeError(_ failure: OutputWriter.Failure) -> CLIError {
        switch failure {
        case .closedByReader: CLIError("stdout closed", status: .success)
        case .failed(let code): CLIError("cannot write to stdout: \(String(cString: strerror(code)))")
        }
    }
}
