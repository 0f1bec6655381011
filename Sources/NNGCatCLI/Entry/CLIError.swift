import NNGCore

/// A runtime error with the exit status it leads to; printed as `nngcat: <message>`.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    let status: ExitStatus

    init(_ message: String, status: ExitStatus = .failure) {
        self.message = message
        self.status = status
    }

    init(_ error: NNGError) {
        self.init(error.description, status: error.code == .timedOut ? .timeout : .failure)
    }

    var description: String { message }
}
