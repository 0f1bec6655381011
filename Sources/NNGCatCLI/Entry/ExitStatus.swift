import NNGCore

/// The documented exit statuses of the subcommands.
public enum ExitStatus: Int32, Sendable {
    case success = 0
    /// Network, peer or input failure.
    case failure = 1
    /// The command line was wrong.
    case usage = 2
    /// A timeout expired before the job was done.
    case timeout = 3
    case interrupted = 130
    case terminated = 143
}

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
