import Glibc

/// Diagnostics on stderr: errors, warnings and `-v` notes, one line each.
public enum Diagnostics {
    public static func error(_ message: String) { line("nngcat: " + message) }
    public static func warning(_ message: String) { line("nngcat: warning: " + message) }
    public static func note(_ message: String) { line("nngcat: " + message) }

    public static func line(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.append(0x0a)
        bytes.withUnsafeBytes { _ = try? OutputWriter.writeAll($0, to: 2) }
    }

    /// Text printed as is, on stdout (help, version).
    public static func print(_ text: String) {
        Array(text.utf8).withUnsafeBytes { _ = try? OutputWriter.writeAll($0, to: 1) }
    }
}
