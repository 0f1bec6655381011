import NNGCore

enum OptionTable {
    static let modern: Set<Command> = [.send, .listen, .repl]
    static let everyCommand: Set<Command> = [.send, .listen, .repl, .bench]
    /// The options `proxy` shares with the other long-running commands.
    static let withProxy: Set<Command> = everyCommand.union([.proxy])

    private static func option(_ long: String, _ short: Character? = nil, aliases: [String] = [], _ value: ValueKind = .none,
                               _ valueName: String = "", key: OptionKey, for commands: Set<Command>, group: String,
                               _ help: String) -> OptionSpec {
        OptionSpec(long: long, short: short, aliases: aliases, value: value, valueName: valueName, key: key,
                   commands: commands, group: group, help: help)
    }

    private static func option(_ long: String, aliases: [String] = [], _ value: ValueKind, _ valueName: String,
                               key: OptionKey, for commands: Set<Command>, group: String, _ help: String) -> OptionSpec {
        option(long, nil, aliases: aliases, value, valueName, key: key, for: commands, group: group, help)
    }

    /// Every option of the subcommands, in help order.
    static let options: [OptionSpec] = protocolOptions + proxyOptions + commonOptions + sendOptions + listenOptions + statsOptions + replOptions + benchOptions + generalOptions + probeOptions

    static let protocolOptions: [OptionSpec] = {
        let senders: [(String, SocketProtocol?, Set<Command>, String)] = [
            ("push", .push0, [.send, .repl], "push messages to pullers (send's default)"),
            ("pull", .pull0, [.listen, .repl], "pull messages from pushers (listen's default)"),
            ("pub", .pub0, [.send, .repl], "publish to subscribers"),
            ("sub", .sub0, [.listen, .repl], "subscribe to publishers"),
            ("req", .req0, [.send, .repl], "send requests and print the replies"),
            ("rep", .rep0, [.listen, .repl], "answer requests (with --reply, --echo or --exec)"),
            ("surveyor", .surveyor0, [.send, .repl], "send surveys and print the responses"),
            ("respondent", .respondent0, [.listen, .repl], "answer surveys (with --reply, --echo or --exec)"),
            ("bus", .bus0, modern, "talk on a bus"),
        ]
        var rows = senders.map { name, proto, commands, help in
            option(name, aliases: [name + "0"], key: .setProtocol(proto), for: commands, group: "Protocol", help)
        }
        rows.append(option("pair", key: .setProtocol(nil), for: modern, group: "Protocol", "pair with one peer (pair1)"))
        rows.append(option("pair0", key: .setProtocol(.pair0), for: modern, group: "Protocol", "pair, version 0"))
        rows.append(option("pair1", key: .setProtocol(.pair1), for: modern, group: "Protocol", "pair, version 1"))
        rows.append(option("protocol", "p", .protocolName, "NAME", key: .protocolName, for: modern, group: "Protocol",
                           "the protocol by name (push, pull, pub, sub, req, rep, pair, pair0, pair1, bus, surveyor, respondent)"))
        return rows
    }()

    static let commonOptions: [OptionSpec] = [
        option("dial", .url, "URL", key: .dial, for: everyCommand, group: "Endpoints", "connect to URL (repeatable)"),
        option("listen", .url, "URL", key: .listen, for: everyCommand, group: "Endpoints", "accept connections on URL (repeatable)"),
        option("async", key: .async, for: modern.union([.proxy]), group: "Endpoints", "do not wait for dials to succeed; keep retrying in the background, silently"),
        option("no-retry", key: .noRetry, for: [.listen, .repl, .proxy], group: "Endpoints", "fail when the first dial fails, instead of retrying until the peer is up"),
        option("reconnect-min", .duration, "DUR", key: .reconnectMin, for: modern.union([.proxy]), group: "Endpoints", "wait DUR before dialing again after a failure (default 100ms)"),
        option("reconnect-max", .duration, "DUR", key: .reconnectMax, for: modern.union([.proxy]), group: "Endpoints", "double that wait up to DUR (default: no doubling)"),
        option("cacert", .file, "FILE", key: .cacert, for: withProxy, group: "TLS", "CA certificates (PEM) that vouch for the peer"),
        option("cert", .file, "FILE", key: .cert, for: withProxy, group: "TLS", "our certificate (PEM); may also hold the key"),
        option("key", .file, "FILE", key: .key, for: withProxy, group: "TLS", "our private key (PEM)"),
        option("insecure", "k", key: .insecure, for: withProxy, group: "TLS", "do not verify the peer's certificate"),
        option("server-name", .text, "NAME", key: .serverName, for: withProxy, group: "TLS", "the name the server's certificate must carry"),
        option("send-timeout", .duration, "DUR", key: .sendTimeout, for: modern, group: "Timing", "give up on a send after DUR (exit 3)"),
        option("recv-timeout", .duration, "DUR", key: .recvTimeout, for: modern, group: "Timing", "stop after DUR without a message or reply"),
        option("recv-maxsz", "Z", .size, "SIZE", key: .recvMaxSize, for: withProxy, group: "Messages", "drop messages larger than SIZE (64k, 1m; 0 = no limit, the default)"),
        option("option", "o", .keyValue, "NAME=VALUE", key: .socketOption, for: modern, group: "General", "set any NNG socket option by name"),
        option("verbose", "v", key: .verbose, for: withProxy, group: "General", "report endpoints and peers on stderr"),
        option("quiet", "q", key: .quiet, for: withProxy, group: "General", "print no diagnostics except errors"),
    ]

    static let sendOptions: [OptionSpec] = [
        option("data", "D", .text, "TEXT", key: .data, for: [.send], group: "Messages", "send TEXT as one message (repeatable)"),
        option("file", "F", .file, "PATH", key: .file, for: [.send], group: "Messages", "send the whole file as one message (- for stdin)"),
        option("null", "0", key: .null, for: [.send, .listen], group: "Messages", "records end with NUL instead of newline"),
        option("whole", key: .whole, for: [.send], group: "Messages", "all of stdin is one message"),
        option("input", .inputFormat, "FORMAT", key: .input, for: [.send], group: "Messages", "decode each record: raw, hex, base64, quoted, json"),
        option("template", key: .template, for: [.send, .listen], group: "Messages", "message texts (and --reply) are templates: {{seq}}, {{time}}, {{random A B}}, {{uuid}}... (man nngcat: TEMPLATES)"),
        option("count", "C", .integer, "N", key: .count, for: [.send, .listen, .bench], group: "Timing", "send: repeat the messages N times (0 = forever); listen: exit after N messages"),
        option("interval", "i", .duration, "DUR", key: .interval, for: [.send], group: "Timing", "wait DUR between messages"),
        option("delay", "d", .duration, "DUR", key: .delay, for: [.send], group: "Timing", "wait DUR before the first message"),
        option("wait-peers", .integer, "N", key: .waitPeers, for: [.send], group: "Timing", "wait for N connected peers before sending (default 1; 0 = don't wait)"),
        option("connect-timeout", .duration, "DUR", key: .connectTimeout, for: [.send], group: "Timing", "how long to wait for peers (default 10s; exit 3)"),
        option("lossy", key: .lossy, for: [.send], group: "Timing", "pub: let a subscriber that falls behind lose messages, instead of waiting for it"),
        option("linger", .duration, "DUR", key: .linger, for: [.send], group: "Timing", "how long to wait for queued messages to leave before exit (default 10s)"),
        option("survey-time", .duration, "DUR", key: .surveyTime, for: [.send, .repl], group: "Timing", "how long a survey collects responses (default 1s)"),
        option("rate", .text, "N[/s|/m|/h]", key: .rate, for: [.send], group: "Timing", "send N messages per second (or per minute, hour), steadily"),
        option("duration", .duration, "DUR", key: .duration, for: [.send], group: "Timing", "stop sending after DUR, then deliver and exit 0"),
        option("pace", .text, "recorded", key: .pace, for: [.send], group: "Timing", "with --input json: keep the gaps between the records' time fields"),
        option("speed", .text, "X", key: .speed, for: [.send], group: "Timing", "with --pace recorded: replay X times as fast (default 1)"),
        option("progress", key: .progress, for: [.send], group: "Statistics", "draw a progress line on a terminal even when the input's size is unknown"),
        option("no-progress", key: .noProgress, for: [.send], group: "Statistics", "never draw the progress line (also: NNGCAT_NO_PROGRESS set)"),
    ]

    static let listenOptions: [OptionSpec] = {
        var rows: [OptionSpec] = [
            option("subscribe", "s", .text, "TOPIC", key: .subscribe, for: [.listen, .repl], group: "Messages", "receive only messages starting with TOPIC (sub; repeatable)"),
            option("format", "f", .outputFormat, "FORMAT", key: .format, for: [.send, .listen, .repl, .proxy], group: "Output", "print messages as line (default), raw, quoted, hex, msgpack, ascii, json or no; TEXT with {{ is a template: '{{seq}} {{data}}\\n'"),
        ]
        for format in [OutputFormat.raw, .quoted, .hex, .msgpack, .ascii, .json] {
            rows.append(option(format.rawValue, key: .setFormat(format), for: [.send, .listen, .repl, .proxy], group: "Output", "same as --format \(format.rawValue)"))
        }
        rows += [
            option("reply", .text, "TEXT", key: .reply, for: [.listen], group: "Replies", "answer every request with TEXT"),
            option("echo", key: .echo, for: [.listen], group: "Replies", "answer every request with itself"),
            option("exec", .text, "CMD", key: .exec, for: [.listen], group: "Replies", "run sh -c CMD per message, message on stdin; its stdout is the reply (rep) or passed through"),
            option("jobs", "j", .integer, "N", key: .jobs, for: [.listen], group: "Replies", "handle up to N messages at once (default 1)"),
        ]
        return rows
    }()

    static let statsOptions: [OptionSpec] = [
        option("stats", .optionalDuration, "DUR", key: .stats, for: [.send, .listen, .proxy], group: "Statistics", "a line of counts and rates on stderr every DUR (default 1s), a summary at exit"),
        option("stats-format", .text, "FORMAT", key: .statsFormat, for: [.send, .listen, .proxy], group: "Statistics", "text (default) or json, one object per line"),
        option("check-seq", key: .checkSeq, for: [.listen], group: "Statistics", "count gaps, duplicates and reordering of bodies that start with a number"),
    ]

    static let replOptions: [OptionSpec] = [
        option("no-history", key: .noHistory, for: [.repl], group: "General", "do not read or write the history file"),
    ]

    static let benchOptions: [OptionSpec] = [
        option("size", .size, "BYTES", key: .size, for: [.bench], group: "Benchmark", "message body size (default 16)"),
        option("clients", .integer, "K", key: .clients, for: [.bench], group: "Benchmark", "concurrent requesters for reqrep (default 1)"),
        option("subscribers", .integer, "K", key: .subscribers, for: [.bench], group: "Benchmark", "subscribers for pubsub (default 1)"),
        option("role", .text, "ROLE", key: .role, for: [.bench], group: "Benchmark", "run only the sender or the receiver side"),
    ]

    static let proxyOptions: [OptionSpec] = [
        option("in", .url, "URL", key: .proxyIn, for: [.proxy], group: "Sides", "accept the in side's peers on URL (repeatable)"),
        option("in-dial", .url, "URL", key: .proxyInDial, for: [.proxy], group: "Sides", "dial an in side peer at URL, retrying until it is up (repeatable)"),
        option("out", .url, "URL", key: .proxyOut, for: [.proxy], group: "Sides", "accept the out side's peers on URL (repeatable)"),
        option("out-dial", .url, "URL", key: .proxyOutDial, for: [.proxy], group: "Sides", "dial an out side peer at URL, retrying until it is up (repeatable)"),
        option("tap", key: .tap, for: [.proxy], group: "Tap", "also print every forwarded message on stdout, marked with the side it came from"),
        option("tap-match", .text, "PREFIX", key: .tapMatch, for: [.proxy], group: "Tap", "print only messages starting with PREFIX (repeatable; implies --tap)"),
    ]

    static let generalOptions: [OptionSpec] = [
        option("help", "h", key: .help, for: withProxy, group: "General", "show this help and exit"),
        option("version", "V", key: .version, for: withProxy, group: "General", "show the version and exit"),
    ]

    /// The options a command accepts.
    static func options(for command: Command) -> [OptionSpec] {
        command == .legacy ? LegacyOptionTable.options : options.filter { $0.commands.contains(command) }
    }
}
