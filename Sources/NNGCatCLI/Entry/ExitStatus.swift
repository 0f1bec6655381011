import NNGCore

/// The documented exit statuses of the subcommands.
enum ExitStatus: Int32, Sendable {
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
