import NNGCore

/// The C nngcat 1.5.2 syntax (`nngcat --push0 --dial URL --data hi`), a
/// drop-in replacement: the same options, refusals and error texts, the same
/// bytes on stdout for every format, and the same exit statuses.
///
/// Deliberate improvements over the C tool (one per line, for the man page):
/// - `--pair` works: pair1, or pair0 with `--compat` (the C tool ignores it and reports "No protocol specified.").
/// - `--count` without `--interval` works on req, surveyor, pair and bus (the C tool fails with "Cannot set recv timeout").
/// - A word that is not an option is an error, instead of silently ending option parsing.
/// - `-v` writes its "Connected to:"/"Listening at:" lines to stderr, not into the data on stdout.
/// - A closed stdout (its reader went away) ends the process at once, with status 0, even while no message arrives.
/// - A failed write to stdout is an error (status 1), instead of being ignored.
/// - No fixed 200 ms sleep before exit: the process waits until the sent messages have left it, so the last message is not lost and a one-shot send is fast.
enum LegacyMode {
    static func run(_ words: [String]) -> ExitStatus {
        let settings: LegacySettings
        let socket: Socket
        do throws(LegacyExit) {
            settings = try LegacySettings.parse(words)
            socket = try LegacySocket.open(settings)
        } catch {
            return report(error)
        }
        let status = execute(settings, socket: socket)
        SocketRelease.finish(socket, listens: settings.addresses.contains { $0.mode == .listen }, status: status)
        return status
    }

    private static func execute(_ settings: LegacySettings, socket: Socket) -> ExitStatus {
        do throws(LegacyExit) {
            let run = try LegacyRun(socket: socket)
            defer { run.close() }
            Signals.onInterrupt { _ in run.stop() }
            var loops = try LegacyLoops(settings: settings, run: run)
            if loops.output.prints && settings.socketProtocol.canReceive {
                LegacyOutput.watchForClosedReader { run.stdoutClosed() }
            }
            do throws(LegacyExit) {
                try loops.execute()
            } catch {
                if run.stdoutWasClosed { return .success }
                if Signals.receivedSignal != nil { return Signals.status(otherwise: .failure) }
                throw error
            }
            if run.stdoutWasClosed { return .success }
            return Signals.status(otherwise: .success)
        } catch {
            return report(error)
        }
    }

    private static func report(_ error: LegacyExit) -> ExitStatus {
        if let message = error.message { Diagnostics.line(message) }
        return error.status
    }
}
