@preconcurrency import CReadline
import Glibc
import Synchronization

/// What the line editor reports to its owner. Every call arrives on the
/// thread that runs the event loop, from inside `readCharacter()`.
protocol LineEditorDelegate: AnyObject {
    /// A finished line, or nil at end of input (Ctrl-D on an empty line).
    func lineEditor(_ editor: LineEditor, didRead line: String?)
    /// Ctrl-C. The editor has already abandoned the line; `lineWasEmpty`
    /// says whether there was anything on it. Return true to quit.
    func lineEditorInterrupted(_ editor: LineEditor, lineWasEmpty: Bool) -> Bool
    /// Tab: what completes `word`, which follows `lineBefore` on the line.
    func lineEditor(_ editor: LineEditor, complete word: String, lineBefore: String) -> ReplCommands.Completion
}

/// GNU readline behind a small Swift interface, in its callback mode: the
/// owner polls stdin and calls `readCharacter()` when it is readable, so the
/// same loop can wait on the socket too. The only file that imports
/// `CReadline`.
///
/// Ctrl-C: readline's own signal handling is off (`rl_catch_signals = 0`;
/// SIGINT is blocked in every thread anyway), and while readline owns the
/// terminal the interrupt character is disabled, so Ctrl-C arrives as the
/// byte 0x03 and is bound to a command here. Ctrl-Z and Ctrl-\ keep working.
///
/// readline is loaded at run time (see CReadline.h): `Library.load()` fails
/// where it is not installed, and every call goes through the table `rl`.
///
/// Thread-confined: only the thread that called `start` may use it, and
/// readline's context-less callbacks find it through one guarded global.
final class LineEditor {
    /// GNU readline, loaded; the only way to make a `LineEditor`.
    struct Library {
        fileprivate let table: nngcat_readline

        /// Loads readline (once per process) or says in one line why not.
        static func load() throws(Unavailable) -> Library {
            var reason: UnsafePointer<CChar>?
            guard let table = nngcat_readline_load(&reason) else {
                throw Unavailable(reason: reason.map { String(cString: $0) } ?? "cannot load GNU readline")
            }
            return Library(table: table.pointee)
        }
    }

    struct Unavailable: Error {
        let reason: String
    }

    fileprivate let rl: nngcat_readline
    private weak var delegate: LineEditorDelegate?
    private var installed = false
    private var insideLineHandler = false
    private var quitByInterrupt = false
    private var candidates: [String] = []
    private var candidateIndex = 0

    init(library: Library, delegate: LineEditorDelegate) {
        rl = library.table
        self.delegate = delegate
    }

    /// Configures readline, reads `~/.inputrc`, and shows the first prompt.
    func start(prompt: String) {
        ActiveEditor.claim(self)
        rl.rl_readline_name.pointee = UnsafePointer(strdup("nngcat"))
        rl.rl_catch_signals.pointee = 0
        // readline must not setenv LINES/COLUMNS: NNG's threads are running.
        rl.rl_change_environment.pointee = 0
        rl.rl_attempted_completion_function.pointee = attemptCompletion
        rl.rl_prep_term_function.pointee = prepareTerminal
        _ = rl.rl_initialize()  // reads ~/.inputrc, so the bindings below win over it
        for name in ["emacs", "vi-insert", "vi-command"] {
            if let keymap = rl.rl_get_keymap_by_name(name) { _ = rl.rl_bind_key_in_map(3, interruptKey, keymap) }
        }
        rl.rl_callback_handler_install(prompt, lineHandler)
        installed = true
    }

    /// Restores the terminal. Idempotent.
    func stop() {
        guard installed else { return }
        installed = false
        rl.rl_callback_handler_remove()
        ActiveEditor.release(self)
    }

    deinit { stop() }

    var isRunning: Bool { installed }

    /// Reads one byte of input (stdin must be readable) and acts on it.
    func readCharacter() {
        guard installed else { return }
        rl.rl_callback_read_char()
    }

    /// Changes the prompt; it shows from the next redisplay.
    func setPrompt(_ prompt: String) {
        _ = rl.rl_set_prompt(prompt)
        if installed && !insideLineHandler { rl.rl_redisplay() }
    }

    /// Writes `bytes` to `descriptor` above the prompt, then redraws the prompt
    /// and the half-typed line as they were.
    func printAbove(_ bytes: [UInt8], descriptor: Int32) {
        var bytes = bytes
        if let last = bytes.last, last != 0x0a { bytes.append(0x0a) }
        guard installed && !insideLineHandler else {
            ReplConsole.writeAll(bytes, to: descriptor)
            return
        }
        _ = rl.rl_clear_visible_line()
        fflush(nil)
        ReplConsole.writeAll(bytes, to: descriptor)
        _ = rl.rl_on_new_line()
        rl.rl_redisplay()
    }

    // MARK: History

    /// Loads a history file and caps the in-memory list at `limit` entries.
    func loadHistory(from path: String, limit: Int) {
        rl.using_history()
        rl.stifle_history(Int32(clamping: limit))
        _ = rl.read_history(path)
    }

    /// Adds `line` unless it repeats the previous entry; true if added.
    func addToHistory(_ line: String) -> Bool {
        if rl.history_length.pointee > 0, let last = rl.history_get(rl.history_base.pointee + rl.history_length.pointee - 1), String(cString: last.pointee.line) == line {
            return false
        }
        rl.add_history(line)
        return true
    }

    /// Appends the newest entry to the file, creating it if needed.
    func appendNewestEntry(to path: String) -> Bool {
        rl.append_history(1, path) == 0
    }

    /// Cuts the file down to its last `limit` lines.
    func truncateHistoryFile(_ path: String, to limit: Int) {
        _ = rl.history_truncate_file(path, Int32(clamping: limit))
    }

    /// Every entry, oldest first.
    var historyLines: [String] {
        guard let list = rl.history_list() else { return [] }
        var lines: [String] = []
        var index = 0
        while let entry = list[index] {
            lines.append(String(cString: entry.pointee.line))
            index += 1
        }
        return lines
    }

    // MARK: Callbacks, reached through the trampolines below

    fileprivate func deliverLine(_ line: String?) {
        insideLineHandler = true
        defer { insideLineHandler = false }
        if quitByInterrupt {
            delegate?.lineEditor(self, didRead: nil)
            return
        }
        delegate?.lineEditor(self, didRead: line)
    }

    fileprivate func interrupt() {
        let wasEmpty = rl.rl_end.pointee == 0
        // Leave the abandoned line on screen marked with ^C, as shells do, and start afresh.
        rl.rl_point.pointee = rl.rl_end.pointee
        rl.rl_redisplay()
        fputs("^C", rl.rl_outstream.pointee)
        _ = rl.rl_crlf()
        fflush(rl.rl_outstream.pointee)
        rl.rl_free_line_state()
        rl.rl_replace_line("", 1)
        rl.using_history()
        _ = rl.rl_on_new_line()
        if delegate?.lineEditorInterrupted(self, lineWasEmpty: wasEmpty) == true {
            // Finish this line so the line handler runs and can remove itself
            // there; removing the handler inside a key command is unsafe.
            quitByInterrupt = true
            rl.rl_done.pointee = 1
            return
        }
        rl.rl_redisplay()
    }

    fileprivate func completionMatches(_ text: String, start: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        let lineBefore = rl.rl_line_buffer.pointee.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: start), as: UTF8.self) } ?? ""
        switch delegate?.lineEditor(self, complete: text, lineBefore: lineBefore) ?? .candidates([]) {
        case .files:
            rl.rl_attempted_completion_over.pointee = 0  // fall back to readline's file names
            return nil
        case .candidates(let found):
            rl.rl_attempted_completion_over.pointee = 1
            candidates = found
            candidateIndex = 0
            return text.withCString { rl.rl_completion_matches($0, completionCandidate) }
        }
    }

    fileprivate func nextCandidate() -> UnsafeMutablePointer<CChar>? {
        guard candidateIndex < candidates.count else { return nil }
        defer { candidateIndex += 1 }
        return strdup(candidates[candidateIndex])
    }
}

/// The one global through which readline's context-less callbacks reach the
/// editor: its address and the thread that owns it, behind a lock. A callback
/// on any other thread is a programming error and traps.
private enum ActiveEditor {
    private struct Slot: Sendable {
        let thread: pthread_t
        let address: UInt
    }
    private static let slot = Mutex<Slot?>(nil)

    static func claim(_ editor: LineEditor) {
        let address = UInt(bitPattern: Unmanaged.passUnretained(editor).toOpaque())
        slot.withLock { current in
            precondition(current == nil, "only one line editor may run at a time")
            current = Slot(thread: pthread_self(), address: address)
        }
    }

    static func release(_ editor: LineEditor) {
        let address = UInt(bitPattern: Unmanaged.passUnretained(editor).toOpaque())
        slot.withLock { current in
            if current?.address == address { current = nil }
        }
    }

    static func withEditor<R>(_ body: (LineEditor) -> R) -> R? {
        guard let current = slot.withLock({ $0 }) else { return nil }
        precondition(pthread_equal(current.thread, pthread_self()) != 0, "readline called back on a thread that does not own it")
        guard let pointer = UnsafeMutableRawPointer(bitPattern: current.address) else { return nil }
        return body(Unmanaged<LineEditor>.fromOpaque(pointer).takeUnretainedValue())
    }
}

// MARK: Trampolines: named file-scope functions, as C callbacks must be.

private func lineHandler(_ line: UnsafeMutablePointer<CChar>?) {
    let text = line.map { String(cString: $0) }
    free(line)
    ActiveEditor.withEditor { $0.deliverLine(text) }
}

private func interruptKey(_ count: Int32, _ key: Int32) -> Int32 {
    ActiveEditor.withEditor { $0.interrupt() }
    return 0
}

private func attemptCompletion(_ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    let word = text.map { String(cString: $0) } ?? ""
    return ActiveEditor.withEditor { $0.completionMatches(word, start: Int(start)) } ?? nil
}

private func completionCandidate(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<CChar>? {
    ActiveEditor.withEditor { $0.nextCandidate() } ?? nil
}

/// readline's own terminal preparation, plus the interrupt character turned
/// off, so Ctrl-C reaches `interruptKey` as a key. `rl_deprep_terminal`
/// restores the settings saved before, interrupt character included.
private func prepareTerminal(_ meta: Int32) {
    ActiveEditor.withEditor { $0.configureTerminal(meta: meta) }
}

extension LineEditor {
    fileprivate func configureTerminal(meta: Int32) {
        rl.rl_prep_terminal(meta)
        let descriptor = rl.rl_instream.pointee.map { fileno($0) } ?? 0
        var settings = termios()
        guard tcgetattr(descriptor, &settings) == 0 else { return }
        withUnsafeMutableBytes(of: &settings.c_cc) { $0[Int(VINTR)] = 0 }  // _POSIX_VDISABLE
        _ = tcsetattr(descriptor, TCSADRAIN, &settings)
    }
}
