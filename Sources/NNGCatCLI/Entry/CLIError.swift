import NNGCore

/// A runtime error with the exit status it leads to; printed as `nngcat: <message>`.
/// When libnng caused it, `cause` keeps its code, so a caller can match on
/// `.connectionRefused` rather than on the text.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    let status: ExitStatus
    let cause: NNGError?

    init(_ message: String, status: ExitStatus = .failure, cause: NNGError? = nil) {
        self.message = message
        self.status = status
        self.cause = cause
    }

    /// libnng's error as it prints (or `message`), with the status its code
    /// leads to unless `status` says otherwise.
    init(_ error: NNGError, message: String? = nil, status: ExitStatus? = nil) {
        self.init(message ?? error.description, status: status ?? Self.status(for: error.code), cause: error)
    }

    /// The one place an NNG error code becomes an exit status: a timeout is
    /// 3, everything else that libnng reports is a runtime failure, 1.
    static func status(for code: NNGError.Code) -> ExitStatus {
        code == .timedOut ? .timeout : .failure
    }

    var description: String { message }
}
