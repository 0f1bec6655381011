import Glibc
import Synchronization

/// Runs `sh -c COMMAND` with a message on its stdin and collects its stdout,
/// for `listen --exec`. Input is written while output is read (through
/// poll), so a command that answers before it has read everything cannot deadlock.
enum CommandRunner {
    /// Held from creating the pipes until the child holds its ends, so that a
    /// concurrent `--jobs` spawn never inherits them before they are marked
    /// close-on-exec (a child holding another's write end would never see EOF).
    private static let spawning = Mutex(())

    struct Outcome {
        var output: [UInt8]
        /// The exit status, or 128 + signal number.
        var status: Int32
    }

    static func run(_ command: String, input: UnsafeRawBufferPointer, environment extra: [(String, String)]) throws(CLIError) -> Outcome {
        let started = spawning.withLock { _ in Result { () throws(CLIError) in try spawn(command, environment: extra) } }
        let (pid, toChild, fromChild) = try started.get()
        let output = pump(input: input, to: toChild, from: fromChild)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = status & 0x7f == 0
        return Outcome(output: output, status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f))
    }

    /// Starts `sh -c command`; returns its pid, the write end of its stdin and the read end of its stdout.
    private static func spawn(_ command: String, environment extra: [(String, String)]) throws(CLIError) -> (pid_t, Int32, Int32) {
        var stdinPipe: [Int32] = [-1, -1]
        var stdoutPipe: [Int32] = [-1, -1]
        guard makePipe(&stdinPipe) else { throw CLIError("--exec: pipe: \(String(cString: strerror(errno)))") }
        guard makePipe(&stdoutPipe) else {
            close(stdinPipe[0]); close(stdinPipe[1])
            throw CLIError("--exec: pipe: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)

        // The child starts with default signal handling and an empty mask,
        // whatever this process blocked or ignored.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let words: [String] = ["/bin/sh", "-c", command]
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
        defer { arguments.forEach { free($0) } }
        var environment = currentEnvironment().filter { entry in !extra.contains { entry.hasPrefix($0.0 + "=") } }
        environment += extra.map { "\($0.0)=\($0.1)" }
        let cEnvironment: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) }
        defer { cEnvironment.forEach { free($0) } }

        var pid: pid_t = 0
        let spawned = (arguments + [nil]).withUnsafeBufferPointer { argv in
            (cEnvironment + [nil]).withUnsafeBufferPointer { envp in
                posix_spawn(&pid, "/bin/sh", &actions, &attributes, UnsafeMutablePointer(mutating: argv.baseAddress!),
                            UnsafeMutablePointer(mutating: envp.baseAddress!))
            }
        }
        close(stdinPipe[0])
        close(stdoutPipe[1])
        guard spawned == 0 else {
            close(stdinPipe[1]); close(stdoutPipe[0])
            throw CLIError("--exec: cannot start /bin/sh: \(String(cString: strerror(spawned)))")
        }
        return (pid, stdinPipe[1], stdoutPipe[0])
    }

    private static func pump(input: UnsafeRawBufferPointer, to writeEnd: Int32, from readEnd: Int32) -> [UInt8] {
        var output: [UInt8] = []
        var written = 0
        var writing: Int32 = writeEnd
        if input.isEmpty { close(writing); writing = -1 }
        _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK)
        var chunk = [UInt8](repeating: 0, count: 65536)
        var reading = true
        while reading {
            var fds = [pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)]
            if writing >= 0 { fds.append(pollfd(fd: writing, events: Int16(POLLOUT), revents: 0)) }
            if poll(&fds, nfds_t(fds.count), -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            if writing >= 0, fds[1].revents != 0 {
                let count = write(writing, input.baseAddress! + written, input.count - written)
                if count > 0 { written += count }
                // A command that exits without reading all input is not an error of ours.
                if written == input.count || (count < 0 && errno != EAGAIN && errno != EINTR) {
                    close(writing)
                    writing = -1
                }
            }
            if fds[0].revents != 0 {
                let count = chunk.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                if count > 0 {
                    output.append(contentsOf: chunk[0..<count])
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    reading = false
                }
            }
        }
        if writing >= 0 { close(writing) }
        close(readEnd)
        return output
    }

    /// A pipe whose ends close on exec (pipe2 does not import), so concurrent
    /// `--jobs` children do not inherit each other's ends and hang waiting for EOF.
    private static func makePipe(_ ends: inout [Int32]) -> Bool {
        guard pipe(&ends) == 0 else { return false }
        _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        return true
    }

    private static func currentEnvironment() -> [String] {
        var result: [String] = []
        var pointer = environ
        while let entry = pointer.pointee {
            result.append(String(cString: entry))
            pointer += 1
        }
        return result
    }

    /// What a command run per message learns about it, beside the body on its stdin.
    static func environment(for metadata: MessageMetadata) -> [(String, String)] {
        [("NNGCAT_SEQ", String(metadata.sequence)), ("NNGCAT_PEER", metadata.peer ?? "")]
    }
}
