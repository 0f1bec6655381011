import NNGCore

/// `nngcat probe`'s command line, checked.
struct ProbeSettings: Sendable {
    struct Target: Sendable {
        let url: String
        /// `--listen URL`: wait for a peer to dial in rather than dialing.
        let listens: Bool
    }

    var targets: [Target] = []
    var tls: TLSConfiguration?
    /// The TLS options as given, repeated in the suggested command.
    var tlsArguments: [String] = []
    var timeout: Duration = .seconds(5)
    var json = false

    static let transports = ["tcp", "tcp4", "tcp6", "ipc", "abstract", "ws", "ws4", "ws6", "wss", "wss4", "wss6", "tls+tcp", "tls+tcp4", "tls+tcp6"]

    static func build(_ parsed: ParsedArguments) throws(UsageError) -> ProbeSettings {
        var settings = ProbeSettings()
        var tls = TLSConfiguration()
        var usesTLS = false
        var listens: [Target] = []
        for occurrence in parsed.options {
            let value = occurrence.value ?? ""
            let name = occurrence.spelling
            switch occurrence.spec.key {
            case .listen: listens.append(Target(url: try checked(value, option: name), listens: true))
            case .connectTimeout:
                let duration = try ValueParsers.duration(value, option: name)
                guard duration > .zero else { throw UsageError("\(name) must be longer than 0") }
                settings.timeout = duration
            case .format:
                switch value {
                case "json": settings.json = true
                case "text": settings.json = false
                default: throw UsageError("unknown format '\(value)' for \(name) (probe knows: text, json)")
                }
            case .setFormat(.json): settings.json = true
            case .cacert: tls.caFile = try SettingsBuilder.readableFile(value, option: name); usesTLS = true
            case .cert: tls.certificateFile = try SettingsBuilder.readableFile(value, option: name); usesTLS = true
            case .key: tls.keyFile = try SettingsBuilder.readableFile(value, option: name); usesTLS = true
            case .insecure: tls.verification = TLSConfiguration.Verification.none; usesTLS = true
            case .serverName: tls.serverName = value; usesTLS = true
            default: continue
            }
            if [.cacert, .cert, .key, .insecure, .serverName].contains(occurrence.spec.key) {
                settings.tlsArguments += [occurrence.spec.short.map { "-\($0)" } ?? "--" + occurrence.spec.long] + (occurrence.value.map { [$0] } ?? [])
            }
        }
        if tls.keyFile != nil && tls.certificateFile == nil { throw UsageError("--key needs --cert") }
        if usesTLS { settings.tls = tls }
        for word in parsed.positionals {
            settings.targets.append(Target(url: try checked(word, option: "probe"), listens: false))
        }
        settings.targets += listens
        if settings.targets.isEmpty { throw UsageError("probe needs a URL: nngcat probe [OPTIONS] URL... (or --listen URL)") }
        return settings
    }

    /// A URL of a transport with byte streams: inproc has none to probe from another process.
    private static func checked(_ url: String, option: String) throws(UsageError) -> String {
        let url = try ValueParsers.url(url, option: option)
        guard let scheme = Endpoint.scheme(of: url), transports.contains(scheme) else {
            throw UsageError("cannot probe '\(url)': probe works over tcp, ipc, tls+tcp, ws and wss")
        }
        return url
    }
}
