/// `nngcat probe`'s rows: its own, since its --listen, --connect-timeout and
/// --format mean something else there than in send and listen.
extension OptionTable {
    static let probeOptions: [OptionSpec] = {
        func row(_ long: String, _ short: Character? = nil, _ value: ValueKind = .none, _ valueName: String = "",
                 key: OptionKey, group: String, _ help: String) -> OptionSpec {
            OptionSpec(long: long, short: short, aliases: [], value: value, valueName: valueName, key: key,
                       commands: [.probe], group: group, help: help)
        }
        return [
            row("listen", nil, .url, "URL", key: .listen, group: "Endpoints", "wait for one peer to dial in to URL and tell what it speaks (repeatable)"),
            row("connect-timeout", nil, .duration, "DUR", key: .connectTimeout, group: "Timing", "give each URL DUR to connect and answer (default 5s; exit 3)"),
            row("format", "f", .text, "FORMAT", key: .format, group: "Output", "text (default) or json: one object per URL per line"),
            row("json", key: .setFormat(.json), group: "Output", "same as --format json"),
            row("cacert", nil, .file, "FILE", key: .cacert, group: "TLS", "CA certificates (PEM) that vouch for the peer"),
            row("cert", nil, .file, "FILE", key: .cert, group: "TLS", "our certificate (PEM); may also hold the key"),
            row("key", nil, .file, "FILE", key: .key, group: "TLS", "our private key (PEM)"),
            row("insecure", "k", key: .insecure, group: "TLS", "do not verify the peer's certificate"),
            row("server-name", nil, .text, "NAME", key: .serverName, group: "TLS", "the name the server's certificate must carry"),
            row("help", "h", key: .help, group: "General", "show this help and exit"),
            row("version", "V", key: .version, group: "General", "show the version and exit"),
        ]
    }()
}
