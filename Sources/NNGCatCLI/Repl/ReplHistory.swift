import Glibc

/// Where the REPL keeps its history, and how much: `$XDG_STATE_HOME/nngcat/history`,
/// else `~/.local/state/nngcat/history`, at most `limit` lines. Each line is
/// appended as it is entered (so concurrent sessions interleave rather than
/// overwrite, and a killed session keeps its lines); the file is cut back to
/// `limit` lines when the session ends.
struct ReplHistory {
    static let limit = 1000

    let path: String

    /// The history file's path from the environment, or nil when neither
    /// `XDG_STATE_HOME` nor `HOME` is usable.
    static func defaultPath() -> String? {
        if let state = environment("XDG_STATE_HOME"), state.hasPrefix("/") {
            return state + "/nngcat/history"
        }
        if let home = environment("HOME"), !home.isEmpty {
            return home + "/.local/state/nngcat/history"
        }
        return nil
    }

    /// Creates the file's folder (private, as shells do) and the file itself
    /// (mode 0600), so that lines can be appended. Returns an error text.
    func prepare() -> String? {
        var folder = ""
        let components = path.split(separator: "/").dropLast()
        for component in components {
            folder += "/" + component
            if mkdir(folder, 0o700) != 0 && errno != EEXIST {
                return "cannot create \(folder): \(String(cString: strerror(errno)))"
            }
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        if descriptor < 0 { return "cannot open \(path): \(String(cString: strerror(errno)))" }
        close(descriptor)
        return nil
    }

    private static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }
}
