import NNGCore
import Glibc
import Synchronization

/// Where the REPL's output goes. Scripted: messages and command output on
/// stdout as they come, errors on stderr as `nngcat: ...`, notes only with
/// `--verbose`. Interactive: everything printed above the prompt through the
/// line editor, notes unless `--quiet`, colours when allowed.
final class ReplConsole {
    let interactive: Bool
    let colors: Bool
    let quiet: Bool
    let verbose: Bool
    /// Set while the line editor owns the terminal.
    var editor: LineEditor?
    /// Errors reported so far; in scripted mode any makes the exit status 1.
    private(set) var errorCount = 0

    init(interactive: Bool, quiet: Bool, verbose: Bool) {
        self.interactive = interactive
        self.quiet = quiet
        self.verbose = verbose
        colors = interactive && isatty(1) == 1 && !Self.noColorRequested
    }

    /// NO_COLOR set to anything but the empty string (https://no-color.org).
    static var noColorRequested: Bool {
        guard let value = getenv("NO_COLOR") else { return false }
        return value.pointee != 0
    }

    /// Message bodies, already formatted.
    func message(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        emit(bytes, to: 1)
    }

    /// The output of a command such as `.status` or `.help`.
    func output(_ text: String) {
        emit(Array(text.utf8), to: 1)
    }

    /// Feedback such as `dialed tcp://...` or a peer connecting.
    func note(_ text: String) {
        if interactive {
            if !quiet { emit(Array(styled(text, "2").utf8), to: 1) }
        } else if verbose {
            emit(Array(("nngcat: " + text + "\n").utf8), to: 2)
        }
    }

    /// A hint the user asked for by acting (Ctrl-C), shown even with --quiet.
    func hint(_ text: String) {
        emit(Array(styled(text, "2").utf8), to: 1)
    }

    /// One line on stderr; the session goes on.
    func error(_ text: String) {
        errorCount += 1
        if interactive {
            emit(Array(styled("error: " + text, "31").utf8), to: 2)
        } else {
            emit(Array(("nngcat: " + text + "\n").utf8), to: 2)
        }
    }

    /// The prompt: `req tcp://127.0.0.1:5555> `, the protocol in colour. The
    /// escapes sit between readline's ignore markers so they take no columns.
    func prompt(protocol name: String, endpoint: String?) -> String {
        let rest = (endpoint.map { " " + $0 } ?? "") + "> "
        guard colors else { return name + rest }
        return "\u{1}\u{1B}[1;36m\u{2}" + name + "\u{1}\u{1B}[0m\u{2}" + rest
    }

    private func styled(_ text: String, _ code: String) -> String {
        colors ? "\u{1B}[\(code)m" + text + "\u{1B}[0m\n" : text + "\n"
    }

    private func emit(_ bytes: [UInt8], to descriptor: Int32) {
        if let editor {
            editor.printAbove(bytes, descriptor: descriptor)
        } else {
            Self.writeAll(bytes, to: descriptor)
        }
    }

    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        bytes.withUnsafeBytes { _ = try? OutputWriter.writeAll($0, to: descriptor) }
    }
}

/// A pipe that wakes the event loop's `poll` from other threads: aio
/// completions, peer events and the signal watcher.
final class Wakeup: Sendable {
    let readDescriptor: Int32
    private let writeDescriptor: Int32

    init() throws(CLIError) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw CLIError("cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        readDescriptor = ends[0]
        writeDescriptor = ends[1]
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }

    /// Never blocks: a full pipe already means "wake up".
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    func drain() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while read(readDescriptor, &buffer, buffer.count) > 0 {}
    }
}

/// The peers of one socket, fed by NNG's pipe notifications on its threads,
/// read by the event loop.
final class PeerLog: Sendable {
    private struct State {
        var connected: [UInt32: String] = [:]
        var pending: [PeerEvent] = []
    }
    private let state = Mutex(State())
    private let wakeup: Wakeup

    init(wakeup: Wakeup) { self.wakeup = wakeup }

    /// Called on an NNG thread: records, and wakes the loop. Never blocks.
    func record(_ event: PeerEvent) {
        state.withLock { state in
            switch event.kind {
            case .connected: state.connected[event.pipe.id] = event.remoteAddress ?? "unknown address"
            case .disconnected: state.connected.removeValue(forKey: event.pipe.id)
            }
            state.pending.append(event)
        }
        wakeup.signal()
    }

    func takeEvents() -> [PeerEvent] {
        state.withLock { state in
            defer { state.pending.removeAll() }
            return state.pending
        }
    }

    /// Addresses of the peers connected now.
    var connected: [String] {
        state.withLock { $0.connected.sorted { $0.key < $1.key }.map(\.value) }
    }
}
