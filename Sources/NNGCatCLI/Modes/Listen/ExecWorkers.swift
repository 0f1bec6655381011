import NNGCore
import Synchronization
import Glibc

/// `--exec` with `--jobs N` on pull/sub/pair/bus: N threads each take the
/// next message and run the command; each command's output is written as one block.
/// `--stats` counts from every worker through the reporter's atomic counter.
struct ExecWorkers {
    let settings: ListenSettings
    let socket: Socket
    let command: String
    let reporter: LiveReporter

    func run() throws(CLIError) {
        let receiver = try ListenMode.startReceiver(settings, socket: socket)
        defer { receiver.close() }
        let shared = WorkerState()
        let count = settings.count
        let intake = Intake(receiver: receiver, traffic: reporter.isActive ? reporter.traffic : nil, sequences: reporter.sequences)
        let workers = (0..<settings.jobs).map { _ in
            JoinableThread { [settings, command] in
                while true {
                    let sequence = shared.claim()
                    if let count, sequence > count { return }
                    let message: Message
                    do throws(NNGError) {
                        guard let next = try intake.next() else { continue }
                        message = next
                    } catch {
                        shared.finish(ReceiveEnd.outcome(error, received: sequence - 1, settings: settings))
                        return
                    }
                    let metadata = MessageMetadata(sequence: sequence, peer: message.pipe?.remoteAddress)
                    do throws(CLIError) {
                        let outcome = try message.withUnsafeBytes { (body) throws(CLIError) in
                            try CommandRunner.run(command, input: body, environment: CommandRunner.environment(for: metadata))
                        }
                        try shared.write(outcome.output)
                        if outcome.status != 0 {
                            Diagnostics.error("--exec command exited with status \(outcome.status) (message \(sequence))")
                        }
                    } catch {
                        shared.finish(error)
                        receiver.close()
                        return
                    }
                }
            }
        }
        workers.forEach { $0.join() }
        if let ending = shared.ending, ending.status != .success { throw ending }
    }
}

/// How workers take the next message, counted and (`--check-seq`) checked.
/// With `--check-seq` the take and the check happen under one lock, so the
/// checker sees the messages in the order they arrived, not in the order the
/// workers happened to get to them.
private final class Intake: Sendable {
    let receiver: MessageReceiver
    let traffic: TrafficCounter?
    let sequences: SeqChecker?
    private let ordered = ConditionLock()

    init(receiver: MessageReceiver, traffic: TrafficCounter?, sequences: SeqChecker?) {
        self.receiver = receiver
        self.traffic = traffic
        self.sequences = sequences
    }

    func next() throws(NNGError) -> Message? {
        guard let sequences else {
            guard let message = try receiver.next() else { return nil }
            traffic?.add(bytes: message.count)
            return message
        }
        return try ordered.withLock { () throws(NNGError) -> Message? in
            guard let message = try receiver.next() else { return nil }
            traffic?.add(bytes: message.count)
            message.withUnsafeBytes { sequences.observe($0, pipe: message.pipe) }
            return message
        }
    }
}

/// What `--jobs` workers share: the message counter, stdout, and how it ended.
final class WorkerState: Sendable {
    private let counter = Atomic<Int>(0)
    private let state = Mutex<CLIError?>(nil)
    private let output = Mutex(())

    func claim() -> Int { counter.add(1, ordering: .relaxed).newValue }

    func write(_ bytes: [UInt8]) throws(CLIError) {
        let failure: OutputWriter.Failure? = output.withLock { _ in
            bytes.withUnsafeBytes { buffer in
                do throws(OutputWriter.Failure) { try OutputWriter.writeAll(buffer, to: 1); return nil } catch { return error }
            }
        }
        if let failure { throw ListenMode.writeError(failure) }
    }

    func finish(_ error: CLIError) { state.withLock { if $0 == nil { $0 = error } } }

    var ending: CLIError? { state.withLock { $0 } }
}
