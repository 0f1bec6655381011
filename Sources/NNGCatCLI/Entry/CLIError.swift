import NNGCore

/// A runtime error with the exit status it leads to; printed as `nngcat: <message>`.
public struct CLIError: Error, CustomStringConvertible {
    public let message: String
    public let status: ExitStatus

    public init(_ message: String, status: ExitStatus = .failure) {
        self.message = message
        self.status = status
    }

    public init(_ error: NNGError) {
        self.init(error.description, status: error.code == .timedOut ? .timeout : .failure)
    }

    public var description: String { message }
}
