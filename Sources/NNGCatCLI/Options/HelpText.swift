import NNGCore

/// `--help` output, generated from the option table.
enum HelpText {
    /// The one place nngcat's version is written: scripts/make-deb reads this line, and
    /// refuses to package when CHANGELOG.md's top entry or the man page says otherwise.
    static let version = "0.2.0"

    static var versionLine: String { "nngcat \(version) (NNG \(NNGLibrary.version))\n" }

    static let exitStatus = """
    Exit status: 0 success, 1 runtime failure (network, peer, input), 2 usage error,
    3 a timeout expired before the job was done, 130/143 interrupted by SIGINT/SIGTERM.
    """

    static let shortUsage = """
    usage: nngcat send [OPTIONS] [URL] [MESSAGE...]
           nngcat listen [OPTIONS] [URL]
           nngcat repl [OPTIONS] [URL]
           nngcat bench push|pubsub|reqrep [URL] [OPTIONS]
           nngcat probe [OPTIONS] URL...
           nngcat proxy PATTERN [IN_URL OUT_URL] [OPTIONS]
           nngcat --PROTOCOL --dial URL|--listen URL [OPTIONS]   (the C nngcat's syntax)
    Try 'nngcat --help' for more.
    """

    static var topLevel: String {
        """
        nngcat — a command-line peer for NNG's scalability protocols (pub/sub,
        req/rep, push/pull, pair, bus, surveyor/respondent) over tcp, ipc, inproc,
        ws, wss and tls+tcp.

        Usage:
          nngcat send   [OPTIONS] [URL] [MESSAGE...]   send messages: arguments, --data, --file, or one per stdin line
          nngcat listen [OPTIONS] [URL]                print what arrives, or answer requests
          nngcat repl   [OPTIONS] [URL]                an interactive session with line editing
          nngcat bench  push|pubsub|reqrep [URL] [OPTIONS]   measure messages/s and latency
          nngcat probe  [OPTIONS] URL...               tell which SP protocol the peer at each URL speaks
          nngcat proxy  PATTERN [IN_URL OUT_URL] [OPTIONS]   forward between two sides, and show what flows (--tap)
          nngcat --PROTOCOL [OPTIONS]                  NNG's C nngcat 1.x syntax, e.g. nngcat --pub0 --dial URL --data X

        Run 'nngcat COMMAND --help' for the options of a command.

        Examples:
          nngcat listen ipc:///tmp/nngcat-demo --count 1 &
          nngcat send --async ipc:///tmp/nngcat-demo hello
          printf 'a\\nb\\n' | nngcat send --pub tcp://127.0.0.1:5556

        \(exitStatus)
        Options: -h, --help  show this help;  -V, --version  show the version.

        """
    }

    static let summaries: [Command: (usage: String, about: String, examples: [String])] = [
        .send: ("nngcat send [OPTIONS] [URL] [MESSAGE...]",
                """
                Sends messages: each MESSAGE argument, each --data, the --file, or else one
                message per line of standard input. A bare URL is dialed (push, req, pair, bus)
                or listened on (pub, surveyor). Waits for a peer before the first message and,
                before exiting, until every message has left the process (--linger).
                """,
                ["nngcat send ipc:///tmp/nngcat-demo hello world",
                 "seq 1 1000 | nngcat send --push tcp://127.0.0.1:5555",
                 "nngcat send --req tcp://127.0.0.1:5555 --data ping --format quoted",
                 "nngcat send --template ipc:///tmp/nngcat-demo --data 'n={{seq}} at {{time}}' --count 3",
                 "seq 1 100 | nngcat send ipc:///tmp/nngcat-demo --rate 50/s --stats"]),
        .listen: ("nngcat listen [OPTIONS] [URL]",
                  """
                  Prints every message that arrives, one per line by default. A bare URL is
                  listened on (pull, rep, pair, bus) or dialed (sub, respondent). rep and
                  respondent answer with --reply, --echo or --exec.
                  """,
                  ["nngcat listen ipc:///tmp/nngcat-demo --count 2",
                   "nngcat listen --sub tcp://127.0.0.1:5556 --subscribe news --format json",
                   "nngcat listen --rep tcp://127.0.0.1:5555 --exec 'tr a-z A-Z'",
                   "nngcat listen ipc:///tmp/nngcat-demo --count 2 --format '{{seq}} {{size}} {{json}}\\n'",
                   "nngcat listen ipc:///tmp/nngcat-demo --check-seq --count 3"]),
        .repl: ("nngcat repl [OPTIONS] [URL]",
                """
                An interactive session: each line typed is sent, incoming messages are printed
                above the prompt. Commands start with a dot; '.help' lists them. Without a
                terminal on stdin, lines are read as a script.
                """,
                ["nngcat repl --req tcp://127.0.0.1:5555",
                 "printf '.dial ipc:///tmp/x\\nhello\\n.quit\\n' | nngcat repl --push"]),
        .bench: ("nngcat bench push|pubsub|reqrep [URL] [OPTIONS]",
                 """
                 Measures messages/s, MB/s and (for reqrep) latency percentiles, running both
                 ends in this process unless --role picks one side.
                 """,
                 ["nngcat bench push --count 100000 --size 16",
                  "nngcat bench reqrep tcp://127.0.0.1:5557 --count 10000"]),
        .probe: ("nngcat probe [OPTIONS] URL...",
                 """
                 Tells which SP protocol the peer at each URL speaks, from the 8-byte header an
                 SP peer sends first (tcp, ipc, tls+tcp) or the WebSocket subprotocol it accepts
                 (ws, wss), and prints a command that talks to it. The probe sends nothing an
                 SP peer would act on: its connection closes before the peer counts it. A peer
                 silent for 250 ms is asked with an HTTP HEAD request, to tell what it is.
                 --listen waits for one peer to dial in. URLs are probed in parallel.
                 Exit status: 0 every URL answered as an SP peer; 1 one was refused,
                 unreachable or not an SP peer; 3 one timed out (1 outranks 3); 2 usage.
                 """,
                 ["nngcat probe tcp://127.0.0.1:5555 ipc:///tmp/nngcat-demo",
                  "nngcat probe --json --connect-timeout 1s ws://127.0.0.1:5556",
                  "nngcat probe --listen tcp://127.0.0.1:5557 --connect-timeout 30s"]),
        .proxy: ("nngcat proxy PATTERN [IN_URL OUT_URL] [OPTIONS]",
                 """
                 Forwards messages between two sides through raw sockets, so replies find their
                 requester and survey responses their surveyor. PATTERN and its sides:
                   pubsub    in: publishers     out: subscribers
                   pipeline  in: pushers        out: pullers
                   reqrep    in: requesters     out: repliers (replies travel back)
                   survey    in: surveyors      out: respondents (responses travel back)
                   pair      in: one pair1 peer out: one pair1 peer (both ways)
                   bus       in: bus peers      out: more bus peers (one bus; --out optional)
                 --in/--out listen, --in-dial/--out-dial dial (retrying until the peer is up);
                 IN_URL OUT_URL listen on both. --tap also prints every message, marked
                 'in: ' or 'out: ' ("from" in json, a "in"/"out" string before msgpack); when
                 stdout cannot keep up, tap records are dropped, never the traffic, and the
                 count is printed on exit. --stats counts each direction (in_out, out_in).
                 Plain forwarding is libnng's nng_device; --tap, --stats and -v switch to
                 nngcat's own receive-then-send loop, which sees each message.
                 Runs until SIGINT or SIGTERM.
                 """,
                 ["nngcat proxy reqrep tcp://127.0.0.1:5555 tcp://127.0.0.1:5557",
                  "nngcat proxy pubsub --in ipc:///tmp/nngcat-news --out tcp://127.0.0.1:5556 --tap",
                  "nngcat proxy pipeline --in tcp://127.0.0.1:5555 --out-dial ipc:///tmp/nngcat-work --tap --format json",
                  "nngcat proxy reqrep tcp://127.0.0.1:5555 tcp://127.0.0.1:5557 --stats=10s"]),
    ]

    /// The help of one subcommand: usage, description, grouped options, examples.
    static func help(for command: Command) -> String {
        guard let summary = summaries[command] else { return topLevel }
        var text = "Usage: \(summary.usage)\n\n\(summary.about)\n"
        let options = OptionTable.options(for: command)
        var groups: [String] = []
        for option in options where !groups.contains(option.group) { groups.append(option.group) }
        for group in groups {
            text += "\n\(group):\n"
            for option in options where option.group == group {
                text += row(option) + "\n"
            }
        }
        text += "\nExamples:\n" + summary.examples.map { "  " + $0 }.joined(separator: "\n") + "\n"
        text += "\n\(exitStatus)\n"
        return text
    }

    static func row(_ option: OptionSpec) -> String {
        var left = "  "
        left += option.short.map { "-\($0), " } ?? "    "
        left += "--" + option.long
        if !option.aliases.isEmpty { left += ", " + option.aliases.map { "--" + $0 }.joined(separator: ", ") }
        if option.takesValue { left += " " + option.valueName }
        if option.takesOptionalValue { left += "[=" + option.valueName + "]" }
        let column = 30
        if left.count < column - 1 {
            return left + String(repeating: " ", count: column - left.count) + option.help
        }
        return left + "\n" + String(repeating: " ", count: column) + option.help
    }
}
