import NNGCore

/// How a receive loop of `listen` (printing, `--exec` workers, the reply
/// server) turns the error that ended it into the run's outcome.
enum ReceiveEnd {
    /// How a receive error ends `listen`: an idle timeout is the normal end
    /// unless `--count` was not reached; a closed socket means we were interrupted.
    static func outcome(_ error: NNGError, received: Int, settings: ListenSettings) -> CLIError {
        if error.code == .timedOut {
            if let count = settings.count, received < count {
                return CLIError("received \(received) of \(count) messages before --recv-timeout", status: .timeout)
            }
            return CLIError("idle timeout", status: .success)
        }
        if error.code == .closed && Signals.receivedSignal != nil { return CLIError("interrupted", status: .interrupted) }
        if error.code == .closed && StdoutWatcher.readerGone { return CLIError("stdout closed", status: .success) }
        return CLIError(error)
    }
}
