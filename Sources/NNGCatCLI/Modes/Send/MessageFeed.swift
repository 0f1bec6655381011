import NNGCore
import Glibc

/// The messages `send` sends, in order, decoded by `--input`: the argument
/// list repeated `--count` times, a file, or stdin record by record.
struct MessageFeed {
    let settings: SendSettings
    /// Fed the size of each input record, for the progress line.
    var progress: ProgressMeter? = nil

    /// Paced by `settings.pacing`; ends early, normally, when `--duration` is over.
    func forEach(_ body: (UnsafeRawBufferPointer) throws(CLIError) -> Void) throws(CLIError) {
        var templating = settings.template ? PayloadTemplating() : nil
        // Where each message body is produced: as it is, or rendered by --template.
        func produce(_ text: UnsafeRawBufferPointer, slot: Int?, label: () -> String) throws(CLIError) {
            if templating == nil { return try body(text) }
            try templating!.render(text, slot: slot, label: label, body)
        }
        let pacer = Pacer(settings.pacing, duration: settings.duration, clock: MonotonicClock())
        var stopped = false
        func deliver(_ record: UnsafeRawBufferPointer, slot: Int?, label: () -> String) throws(CLIError) {
            switch pacer.beforeMessage(record) {
            case .send: break
            case .stop:
                stopped = true
                throw CLIError("--duration is over", status: .success)
            case .missingTime:
                throw CLIError("\(label()): no time field (--pace recorded needs one in every record, as 'listen --format json' writes)", status: .usage)
            }
            if Signals.receivedSignal != nil { throw CLIError("interrupted") }
            progress?.consumed(record.count + 1)
            if settings.input == .raw {
                try produce(record, slot: slot, label: label)
                return
            }
            let decoded: [UInt8]
            do { decoded = try settings.input.decode(record) } catch { throw CLIError("\(label()): \(error.message)") }
            try decoded.withBytes { (bytes) throws(CLIError) in try produce(bytes, slot: slot, label: label) }
        }
        do throws(CLIError) {
            try forEachRecord(deliver, stopDescriptor: pacer.limit?.descriptor ?? -1)
        } catch {
            if stopped { return }
            throw error
        }
    }

    private func forEachRecord(_ deliver: (UnsafeRawBufferPointer, Int?, () -> String) throws(CLIError) -> Void,
                               stopDescriptor: Int32) throws(CLIError) {
        switch settings.source {
        case .messages(let messages):
            var round = 0
            while settings.count == 0 || round < settings.count {
                round += 1
                for (index, message) in messages.enumerated() {
                    try message.withBytes { (bytes) throws(CLIError) in try deliver(bytes, index, { "message \(index + 1)" }) }
                }
            }
        case .file(let path):
            let contents = try Self.readFile(path)
            var round = 0
            while settings.count == 0 || round < settings.count {
                round += 1
                try contents.withBytes { (bytes) throws(CLIError) in try deliver(bytes, 0, { path }) }
            }
        case .stdinWhole:
            let (bytes, error) = RecordReader(descriptor: 0, interruptedBy: Signals.interruptDescriptor).readAll()
            if error != 0 { throw Self.readFailure(error) }
            try bytes.withBytes { (b) throws(CLIError) in try deliver(b, 0, { "stdin" }) }
        case .stdinRecords:
            let reader = RecordReader(descriptor: 0, terminator: settings.socket.separator, interruptedBy: Signals.interruptDescriptor,
                                      stoppedBy: stopDescriptor)
            let error = try reader.forEachRecord { (record) throws(CLIError) in
                try deliver(record, nil, { "stdin line \(reader.recordNumber)" })
            }
            // --duration's timer ended a read that was still waiting for input.
            if error == EINTR && Signals.receivedSignal == nil && stopDescriptor >= 0 { return }
            if error != 0 { throw Self.readFailure(error) }
        }
    }

    /// A read of stdin cut short by SIGINT/SIGTERM is the interruption, not an I/O error.
    static func readFailure(_ error: Int32) -> CLIError {
        if error == EINTR && Signals.receivedSignal != nil { return CLIError("interrupted") }
        return CLIError("stdin: \(String(cString: strerror(error)))")
    }

    static func readFile(_ path: String) throws(CLIError) -> [UInt8] {
        do { return try WholeFile.read(path) } catch { throw CLIError("cannot read \(path): \(error.reason)") }
    }
}
