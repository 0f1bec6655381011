/// The options of NNG's C `nngcat` 1.5.2, spelled exactly as it spells them.
/// Its parser (`nng_opts_parse`) also accepts any unique prefix of a long name,
/// which is why the short protocol names (`--req`) need no rows of their own.
enum LegacyOptionTable {
    private static func option(_ long: String, _ short: Character? = nil, _ value: ValueKind = .none, _ valueName: String = "",
                               key: OptionKey, group: String, _ help: String) -> OptionSpec {
        OptionSpec(long: long, short: short, aliases: [], value: value, valueName: valueName, key: key,
                   commands: [.legacy], group: group, help: help)
    }

    private static func option(_ long: String, _ value: ValueKind, _ valueName: String, key: OptionKey, group: String, _ help: String) -> OptionSpec {
        option(long, nil, value, valueName, key: key, group: group, help)
    }

    static let options: [OptionSpec] = [
        option("help", "h", key: .help, group: "General", "show the help"),
        option("version", "V", key: .version, group: "General", "show the version"),
        option("verbose", "v", key: .verbose, group: "General", "more diagnostics"),
        option("silent", "q", key: .quiet, group: "General", "fewer diagnostics"),
        option("req0", key: .setProtocol(.req0), group: "Protocol", "req (alias --req)"),
        option("rep0", key: .setProtocol(.rep0), group: "Protocol", "rep (alias --rep)"),
        option("push0", key: .setProtocol(.push0), group: "Protocol", "push (alias --push)"),
        option("pull0", key: .setProtocol(.pull0), group: "Protocol", "pull (alias --pull)"),
        option("pub0", key: .setProtocol(.pub0), group: "Protocol", "pub (alias --pub)"),
        option("sub", key: .setProtocol(.sub0), group: "Protocol", "sub"),
        option("sub0", key: .setProtocol(.sub0), group: "Protocol", "sub"),
        option("surveyor0", key: .setProtocol(.surveyor0), group: "Protocol", "surveyor (alias --surveyor)"),
        option("respondent0", key: .setProtocol(.respondent0), group: "Protocol", "respondent (alias --respondent)"),
        option("pair", key: .setProtocol(nil), group: "Protocol", "pair1, or pair0 with --compat"),
        option("pair0", key: .setProtocol(.pair0), group: "Protocol", "pair0"),
        option("pair1", key: .setProtocol(.pair1), group: "Protocol", "pair1"),
        option("bus0", key: .setProtocol(.bus0), group: "Protocol", "bus (alias --bus)"),
        option("dial", .url, "URL", key: .dial, group: "Endpoints", "connect to URL"),
        option("listen", .url, "URL", key: .listen, group: "Endpoints", "accept connections on URL"),
        option("connect", .url, "URL", key: .dial, group: "Endpoints", "alias of --dial"),
        option("bind", .url, "URL", key: .listen, group: "Endpoints", "alias of --listen"),
        option("bind-local", "L", .integer, "PORT", key: .legacyListenLocal, group: "Endpoints", "listen on tcp://127.0.0.1:PORT"),
        option("connect-local", "l", .integer, "PORT", key: .legacyDialLocal, group: "Endpoints", "dial tcp://127.0.0.1:PORT"),
        option("bind-ipc", "X", .file, "PATH", key: .legacyListenIPC, group: "Endpoints", "listen on ipc:///PATH"),
        option("connect-ipc", "x", .file, "PATH", key: .legacyDialIPC, group: "Endpoints", "dial ipc:///PATH"),
        option("data", "D", .text, "DATA", key: .data, group: "Source", "the message to send"),
        option("file", "F", .file, "FILE", key: .file, group: "Source", "the message to send, from FILE (- for stdin)"),
        option("subscribe", .text, "TOPIC", key: .subscribe, group: "Options", "subscribe to TOPIC (sub only)"),
        option("format", .outputFormat, "FORMAT", key: .format, group: "Format", "no, ascii, hex, msgpack, quoted or raw"),
        option("ascii", "A", key: .setFormat(.ascii), group: "Format", "printable ASCII, others as '.'"),
        option("quoted", "Q", key: .setFormat(.quoted), group: "Format", "C-style quoted strings"),
        option("raw", key: .setFormat(.raw), group: "Format", "the bytes as they are"),
        option("hex", key: .setFormat(.hex), group: "Format", "quoted hex escapes"),
        option("msgpack", key: .setFormat(.msgpack), group: "Format", "msgpack bin objects"),
        option("compat", key: .compat, group: "Options", "nanomsg compatibility"),
        option("async", key: .async, group: "Options", "dial in the background"),
        option("delay", "d", .seconds, "SECS", key: .delay, group: "Options", "wait SECS before sending"),
        option("interval", "i", .seconds, "SECS", key: .interval, group: "Options", "send again every SECS"),
        option("count", "C", .integer, "NUM", key: .count, group: "Options", "send NUM times"),
        option("recv-timeout", .seconds, "SECS", key: .recvTimeout, group: "Options", "receive timeout"),
        // NNG's own manual spells it so, though the C tool refuses it. Adding it
        // changes no existing prefix: "r", "re" and "rec" were ambiguous already.
        option("receive-timeout", .seconds, "SECS", key: .recvTimeout, group: "Options", "receive timeout (alias of --recv-timeout)"),
        option("send-timeout", .seconds, "SECS", key: .sendTimeout, group: "Options", "send timeout"),
        option("recv-maxsz", "Z", .integer, "SIZE", key: .recvMaxSize, group: "Options", "largest message accepted"),
        option("socket-name", .text, "NAME", key: .socketName, group: "Options", "the socket's name"),
        option("insecure", "k", key: .insecure, group: "TLS", "do not verify the peer"),
        option("cacert", .file, "FILE", key: .cacert, group: "TLS", "CA certificates"),
        option("cert", "E", .file, "FILE", key: .cert, group: "TLS", "our certificate"),
        option("key", .file, "FILE", key: .key, group: "TLS", "our private key"),
        option("zt-home", .file, "PATH", key: .ztHome, group: "Options", "ZeroTier home (not supported by this libnng)"),
    ]
}
