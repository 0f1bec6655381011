import NNGCore
import Glibc

/// `nngcat repl [OPTIONS] [URL]`: an interactive session on GNU readline, or a
/// script read from stdin when stdin is not a terminal.
///
/// One thread runs everything: a `poll()` loop over stdin, the socket's
/// receive descriptor and a wakeup pipe (aio completions, peer events,
/// SIGTERM). Messages are drained with non-blocking receives; sends go
/// through an aio whose completion writes to the wakeup pipe.
enum ReplMode {
    static func run(_ parsed: ParsedArguments) -> ExitStatus {
        let settings: SocketSettings
        do { settings = try self.settings(parsed) } catch {
            Diagnostics.error(error.message)
            return .usage
        }
        let interactive = isatty(0) == 1
        var readline: LineEditor.Library?
        if interactive {
            do { readline = try LineEditor.Library.load() } catch {
                Diagnostics.error("\(error.reason) (repl needs it at a terminal; a script piped to stdin runs without it)")
                return .failure
            }
        }
        let console = ReplConsole(interactive: interactive, quiet: settings.quiet, verbose: settings.verbose)
        let wakeup: Wakeup
        do { wakeup = try Wakeup() } catch {
            Diagnostics.error(error.message)
            return error.status
        }
        // SIGINT from elsewhere (Ctrl-C is a key here) and SIGTERM end the
        // session through the loop, so the terminal is restored.
        Signals.onInterrupt { _ in wakeup.signal() }
        let session = ReplSession(settings: settings, console: console, wakeup: wakeup)
        do { try session.start() } catch {
            Diagnostics.error(error.message)
            return error.status
        }
        let history: ReplHistory? = interactive && !parsed.has(.noHistory) ? ReplHistory.defaultPath().map(ReplHistory.init) : nil
        let loop = ReplLoop(session: session, console: console, wakeup: wakeup, readline: readline, history: history)
        return loop.run()
    }

    /// The socket settings, with a bare URL on the protocol's usual side:
    /// pub, surveyor, pull and rep listen; the others dial.
    static func settings(_ parsed: ParsedArguments) throws(UsageError) -> SocketSettings {
        let proto = try SettingsBuilder.chooseProtocol(parsed, default: .pair1)
        var settings = try SettingsBuilder.socketSettings(parsed, protocol: proto)
        if settings.outputTemplate != nil { throw UsageError("output templates (--format with {{) work in listen and send, not in repl") }
        settings.dialPolicy = SettingsBuilder.longRunningDialPolicy(parsed, given: settings.dialPolicy)
        if parsed.positionals.count > 1 {
            throw UsageError("unexpected argument '\(parsed.positionals[1])' (repl takes one URL; use .dial and .listen inside)")
        }
        if let url = parsed.positionals.first {
            let listens: Set<SocketProtocol> = [.pub0, .surveyor0, .pull0, .rep0]
            try SettingsBuilder.placeBareURL(url, into: &settings, listens: listens.contains(proto))
        }
        if settings.surveyTime != nil && proto != .surveyor0 { throw UsageError("--survey-time works only with --surveyor") }
        return settings
    }
}

/// The event loop, and the line editor's delegate.
final class ReplLoop: LineEditorDelegate {
    private let session: ReplSession
    private let console: ReplConsole
    private let wakeup: Wakeup
    /// Loaded when stdin is a terminal; nil runs a piped script.
    private let readline: LineEditor.Library?
    private let history: ReplHistory?
    private var historyWritable = false
    private var editor: LineEditor?
    /// Lines waiting while something is in flight; nil marks the end of input.
    private var pending: [String?] = []
    private var scriptBuffer: [UInt8] = []
    private var stdinOpen = true
    /// Ctrl-C on an empty line arms; a second one in a row quits.
    private var interruptArmed = false
    private var keyWasInterrupt = false

    init(session: ReplSession, console: ReplConsole, wakeup: Wakeup, readline: LineEditor.Library?, history: ReplHistory?) {
        self.session = session
        self.console = console
        self.wakeup = wakeup
        self.readline = readline
        self.history = history
    }

    func run() -> ExitStatus {
        if let readline { startEditor(readline) }
        while !session.quitRequested {
            runPendingLines()
            if session.quitRequested { break }
            waitForEvents()
            if Signals.receivedSignal != nil { break }
        }
        let interrupted = Signals.receivedSignal != nil
        if let editor {
            if editor.isRunning {
                editor.stop()
                ReplConsole.writeAll([0x0a], to: 1)
            }
            console.editor = nil
            if let history, historyWritable { editor.truncateHistoryFile(history.path, to: ReplHistory.limit) }
        }
        session.finish(flushFor: interrupted ? .milliseconds(500) : .seconds(10))
        if interrupted { return Signals.status(otherwise: .success) }
        return !console.interactive && console.errorCount > 0 ? .failure : .success
    }

    private func startEditor(_ readline: LineEditor.Library) {
        let editor = LineEditor(library: readline, delegate: self)
        if let history {
            if let problem = history.prepare() {
                console.error("history is off: \(problem)")
            } else {
                historyWritable = true
                editor.loadHistory(from: history.path, limit: ReplHistory.limit)
            }
        }
        console.editor = editor
        self.editor = editor
        editor.start(prompt: session.prompt)
    }

    /// Runs queued lines until one starts something that must finish first.
    private func runPendingLines() {
        while !session.isBusy && !session.quitRequested && !pending.isEmpty {
            guard let line = pending.removeFirst() else {
                session.requestQuit()
                return
            }
            session.execute(line)
            editor?.setPrompt(session.prompt)
        }
    }

    private func waitForEvents() {
        var descriptors = [pollfd(fd: wakeup.readDescriptor, events: Int16(POLLIN), revents: 0)]
        let stdinIndex = stdinOpen ? descriptors.count : nil
        if stdinOpen { descriptors.append(pollfd(fd: 0, events: Int16(POLLIN), revents: 0)) }
        let socketIndex = session.receiveDescriptor == nil ? nil : descriptors.count
        if let fd = session.receiveDescriptor { descriptors.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
        let timeout: Int32 = session.deadline.map { Int32(clamping: $0.remaining.components.seconds * 1000 + $0.remaining.components.attoseconds / 1_000_000_000_000_000 + 1) } ?? -1
        let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
        if ready < 0 && errno != EINTR {
            console.error("poll: \(String(cString: strerror(errno)))")
            session.requestQuit()
            return
        }
        if descriptors[0].revents != 0 {
            wakeup.drain()
            session.checkSend()
            session.reportPeerEvents()
        }
        if let socketIndex, descriptors[socketIndex].revents != 0 { session.drainSocket() }
        if let stdinIndex, descriptors[stdinIndex].revents != 0 { readInput() }
        session.checkDeadline()
    }

    // MARK: Input

    private func readInput() {
        if let editor, editor.isRunning {
            keyWasInterrupt = false
            editor.readCharacter()
            if !keyWasInterrupt { interruptArmed = false }  // any other key disarms
            return
        }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = read(0, &chunk, chunk.count)
        if count < 0 {
            if errno == EINTR || errno == EAGAIN { return }
            console.error("cannot read stdin: \(String(cString: strerror(errno)))")
        }
        if count <= 0 {
            stdinOpen = false
            if !scriptBuffer.isEmpty { pending.append(String(decoding: scriptBuffer, as: UTF8.self)) }
            scriptBuffer.removeAll()
            pending.append(nil)
            return
        }
        scriptBuffer.append(contentsOf: chunk[0..<count])
        while let newline = scriptBuffer.firstIndex(of: 0x0a) {
            var line = scriptBuffer[..<newline]
            if line.last == 0x0d { line = line.dropLast() }
            pending.append(String(decoding: line, as: UTF8.self))
            scriptBuffer.removeSubrange(...newline)
        }
    }

    // MARK: LineEditorDelegate

    func lineEditor(_ editor: LineEditor, didRead line: String?) {
        interruptArmed = false
        guard let line else {
            session.requestQuit()
            editor.stop()  // inside the line handler, so no stray prompt is drawn
            return
        }
        if !line.isEmpty, editor.addToHistory(line), let history, historyWritable {
            _ = editor.appendNewestEntry(to: history.path)
        }
        if session.isBusy || !pending.isEmpty {
            pending.append(line)
            return
        }
        session.execute(line)
        if session.quitRequested {
            editor.stop()
            return
        }
        editor.setPrompt(session.prompt)
    }

    func lineEditorInterrupted(_ editor: LineEditor, lineWasEmpty: Bool) -> Bool {
        keyWasInterrupt = true
        guard lineWasEmpty else {
            interruptArmed = false
            return false
        }
        if !pending.isEmpty {
            pending.removeAll()
            console.note("dropped the lines waiting to run")
            return false
        }
        if session.cancelInFlight() { return false }
        if interruptArmed { return true }
        interruptArmed = true
        console.hint("(press Ctrl-C again to quit, or Ctrl-D, or type .quit)")
        return false
    }

    func lineEditor(_ editor: LineEditor, complete word: String, lineBefore: String) -> ReplCommands.Completion {
        let urls = session.usedURLs + ReplCommands.urls(in: editor.historyLines)
        return ReplCommands.complete(word: word, lineBefore: lineBefore, urls: urls)
    }
}
