import NNGCore

/// A failed REPL command: one line, and the session goes on.
struct ReplError: Error {
    let message: String
    init(_ message: String) { self.message = message }
    init(_ error: NNGError) { message = error.description }
    init(_ error: UsageError) { message = error.message }
}
