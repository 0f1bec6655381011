import NNGCore
import Glibc

/// `nngcat send`: messages from arguments, a file or stdin, to the socket.
public enum SendMode {
    public static func run(_ settings: SendSettings) -> ExitStatus {
        ModeRunner.run(settings.socket) { (socket) throws(CLIError) in
            try waitForPeers(settings, socket: socket)
            if let delay = settings.delay { Signals.sleep(for: delay) }
            switch settings.socket.socketProtocol {
            case .req0, .surveyor0:
                try RequestLoop(settings: settings, socket: socket).run()
            default:
                try stream(settings, socket: socket)
            }
        }
    }

    static func waitForPeers(_ settings: SendSettings, socket: Socket) throws(CLIError) {
        guard settings.waitPeers > 0 else { return }
        if !socket.peers.waitForPeers(settings.waitPeers, timeout: settings.connectTimeout) {
            let connected = socket.peers.connectedCount
            let wanted = settings.waitPeers == 1 ? "a peer" : "\(settings.waitPeers) peers"
            throw CLIError("no message sent: \(connected == 0 ? "no peer" : "only \(connected) peer(s)") connected within \(format(settings.connectTimeout)) (waiting for \(wanted); see --wait-peers, --connect-timeout)", status: .timeout)
        }
    }

    /// Sends through the callback-chained sender, then waits until every
    /// message has left the process, bounded by `--linger`.
    static func stream(_ settings: SendSettings, socket: Socket) throws(CLIError) {
        let sender: MessageSender
        do { sender = try MessageSender(socket: socket, timeout: Timeout(settings.socket.sendTimeout)) } catch { throw CLIError(error) }
        defer { sender.close() }
        var failure: CLIError?
        do throws(CLIError) {
            try MessageFeed(settings: settings).forEach { body throws(CLIError) in
                do throws(NNGError) {
                    try sender.send(try Message(bytes: body))
                } catch {
                    throw CLIError(error)
                }
            }
        } catch {
            failure = error
        }
        if Signals.receivedSignal != nil { throw failure ?? CLIError("interrupted") }
        let deadline = MonotonicDeadline.after(settings.linger)
        let (notAccepted, sendError) = sender.finish(until: deadline)
        // After a send error the stream is over and its losses counted: waiting
        // out --linger for the last accepted message would only delay the report.
        let flushed = sendError == nil ? socket.waitUntilFlushed(timeout: deadline?.remaining) : true
        // `.canceled` is finish() giving up at the --linger deadline: reported below as such.
        if let sendError, sendError.code != .canceled {
            let lost = notAccepted == 1 ? "1 message" : "\(notAccepted) messages"
            throw CLIError("\(sendError.description) (\(lost) not delivered)", status: sendError.code == .timedOut ? .timeout : .failure)
        }
        if let failure {
            throw failure
        }
        if notAccepted > 0 || !flushed || sendError != nil {
            let count = notAccepted + (flushed ? 0 : 1)
            throw CLIError("\(count) message(s) not delivered within --linger \(format(settings.linger))", status: .failure)
        }
    }

    static func format(_ duration: Duration?) -> String {
        guard let duration else { return "forever" }
        let millis = Int64(duration.components.seconds) * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return millis % 1000 == 0 ? "\(millis / 1000)s" : "\(millis)ms"
    }
}

/// The messages `send` sends, in order, decoded by `--input`: the argument
/// list repeated `--count` times, a file, or stdin record by record.
struct MessageFeed {
    let settings: SendSettings

    func forEach(_ body: (UnsafeRawBufferPointer) throws(CLIError) -> Void) throws(CLIError) {
        var first = true
        func deliver(_ record: UnsafeRawBufferPointer, label: () -> String) throws(CLIError) {
            if !first, let interval = settings.interval { Signals.sleep(for: interval) }
            first = false
            if Signals.receivedSignal != nil { throw CLIError("interrupted") }
            if settings.input == .raw {
                try body(record)
                return
            }
            let decoded: [UInt8]
            do { decoded = try settings.input.decode(record) } catch { throw CLIError("\(label()): \(error.message)") }
            let outcome = decoded.withUnsafeBytes { bytes in Result { () throws(CLIError) in try body(bytes) } }
            try outcome.get()
        }
        switch settings.source {
        case .messages(let messages):
            var round = 0
            while settings.count == 0 || round < settings.count {
                round += 1
                for (index, message) in messages.enumerated() {
                    let outcome = message.withUnsafeBytes { bytes in Result { () throws(CLIError) in try deliver(bytes, label: { "message \(index + 1)" }) } }
                    try outcome.get()
                }
            }
        case .file(let path):
            let contents = try Self.readFile(path)
            var round = 0
            while settings.count == 0 || round < settings.count {
                round += 1
                let outcome = contents.withUnsafeBytes { bytes in Result { () throws(CLIError) in try deliver(bytes, label: { path }) } }
                try outcome.get()
            }
        case .stdinWhole:
            let (bytes, error) = RecordReader(descriptor: 0, interruptedBy: Signals.interruptDescriptor).readAll()
            if error != 0 { throw Self.readFailure(error) }
            let outcome = bytes.withUnsafeBytes { b in Result { () throws(CLIError) in try deliver(b, label: { "stdin" }) } }
            try outcome.get()
        case .stdinRecords:
            let reader = RecordReader(descriptor: 0, terminator: settings.socket.separator, interruptedBy: Signals.interruptDescriptor)
            let error = try reader.forEachRecord { (record) throws(CLIError) in
                try deliver(record, label: { "stdin line \(reader.recordNumber)" })
            }
            if error != 0 { throw Self.readFailure(error) }
        }
    }

    /// A read of stdin cut short by SIGINT/SIGTERM is the interruption, not an I/O error.
    static func readFailure(_ error: Int32) -> CLIError {
        if error == EINTR && Signals.receivedSignal != nil { return CLIError("interrupted") }
        return CLIError("stdin: \(String(cString: strerror(error)))")
    }

    static func readFile(_ path: String) throws(CLIError) -> [UInt8] {
        let descriptor = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 { throw CLIError("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { if descriptor != 0 { close(descriptor) } }
        // A regular file is read straight into a buffer of its size: a 64 MiB
        // message is then copied once, not regrown and copied a dozen times.
        // A size of 0 goes the general way: /proc files report 0 yet have content.
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_size > 0 {
            let size = Int(status.st_size)
            var failure: Int32 = 0
            let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
                while initialized < size {
                    let count = read(descriptor, buffer.baseAddress! + initialized, size - initialized)
                    if count > 0 { initialized += count; continue }
                    if count < 0 && errno == EINTR { continue }
                    if count < 0 { failure = errno }
                    break
                }
            }
            if failure != 0 { throw CLIError("cannot read \(path): \(String(cString: strerror(failure)))") }
            return bytes
        }
        let (bytes, error) = RecordReader(descriptor: descriptor, bufferSize: 1 << 20).readAll()
        if error != 0 { throw CLIError("cannot read \(path): \(String(cString: strerror(error)))") }
        return bytes
    }
}
