import NNGCore

/// What `send` and `listen` share around their work: open the socket, close
/// it on SIGINT/SIGTERM (and, for output-driven modes, when stdout's reader
/// leaves), turn the outcome into an exit status with one line on stderr,
/// and let go of the socket (`SocketRelease`).
enum ModeRunner {
    static func run(_ settings: SocketSettings, closeWhenStdoutCloses: Bool = false,
                    _ work: (Socket) throws(CLIError) -> Void) -> ExitStatus {
        let connected: ConnectedSocket
        do { connected = try ConnectedSocket.open(settings) } catch {
            Diagnostics.error(error.message)
            return error.status
        }
        let socket = connected.socket
        Signals.onInterrupt { _ in socket.close() }
        if closeWhenStdoutCloses { StdoutWatcher.watch { socket.close() } }
        let status: ExitStatus
        do throws(CLIError) {
            try work(socket)
            status = Signals.status(otherwise: .success)
        } catch {
            if Signals.receivedSignal == nil && error.status != .success { Diagnostics.error(error.message) }
            status = Signals.status(otherwise: error.status)
        }
        SocketRelease.finish(socket, listens: !connected.listeners.isEmpty, status: status)
        return status
    }
}
