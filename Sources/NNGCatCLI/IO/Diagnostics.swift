import Glibc

/// Diagnostics on stderr: errors, warnings and `-v` notes, one line each.
enum Diagnostics {
    static func error(_ message: String) { line("nngcat: " + message) }
    static func warning(_ message: String) { line("nngcat: warning: " + message) }
    static func note(_ message: String) { line("nngcat: " + message) }

    static func line(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.append(0x0a)
        bytes.withUnsafeBytes { _ = try? OutputWriter.writeAll($0, to: 2) }
    }

    /// Text printed as is, on stdout (help, version).
    static func print(_ text: String) {
        Array(text.utf8).withUnsafeBytes { _ = try? OutputWriter.writeAll($0, to: 1) }
    }
}
