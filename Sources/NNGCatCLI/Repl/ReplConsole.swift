import NNGCore
import Glibc

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

    /// Something the user should know even in a script (a dial that is being
    /// retried): above the prompt, or on stderr when scripted; not with --quiet.
    func notice(_ text: String) {
        guard !quiet else { return }
        if interactive {
            emit(Array(styled(text, "2").utf8), to: 1)
        } else {
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
