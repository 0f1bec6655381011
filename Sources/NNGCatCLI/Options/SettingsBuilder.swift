import NNGCore
import Glibc

/// Turns parsed arguments into settings, refusing what does not fit together.
enum SettingsBuilder {
    static func chooseProtocol(_ parsed: ParsedArguments, default fallback: SocketProtocol) throws(UsageError) -> SocketProtocol {
        var chosen: (SocketProtocol, String)?
        for occurrence in parsed.options {
            var proto: SocketProtocol?
            switch occurrence.spec.key {
            case .setProtocol(let p): proto = p ?? .pair1
            case .protocolName:
                let name = occurrence.value ?? ""
                guard let p = ValueParsers.socketProtocol(name) else {
                    throw UsageError("unknown protocol '\(name)' (known: \(ValueParsers.protocolNames.joined(separator: ", ")))")
                }
                proto = p
            default: continue
            }
            if let previous = chosen, let proto, previous.0 != proto {
                throw UsageError("choose one protocol: both \(previous.1) and \(occurrence.spelling) given")
            }
            if let proto { chosen = (proto, occurrence.spelling) }
        }
        return chosen?.0 ?? fallback
    }

    static func socketSettings(_ parsed: ParsedArguments, protocol proto: SocketProtocol) throws(UsageError) -> SocketSettings {
        var settings = SocketSettings(socketProtocol: proto)
        var tls = TLSConfiguration()
        var usesTLS = false
        var formatGiven: (name: String, choice: String)?
        for occurrence in parsed.options {
            let value = occurrence.value ?? ""
            let name = occurrence.spelling
            switch occurrence.spec.key {
            case .dial: settings.dials.append(try ValueParsers.url(value, option: name))
            case .listen: settings.listens.append(try ValueParsers.url(value, option: name))
            case .async: settings.dialPolicy = .background
            case .reconnectMin: settings.reconnectMin = try ValueParsers.duration(value, option: name)
            case .reconnectMax: settings.reconnectMax = try ValueParsers.duration(value, option: name)
            case .cacert: tls.caFile = try readableFile(value, option: name); usesTLS = true
            case .cert: tls.certificateFile = try readableFile(value, option: name); usesTLS = true
            case .key: tls.keyFile = try readableFile(value, option: name); usesTLS = true
            case .insecure: tls.verification = TLSConfiguration.Verification.none; usesTLS = true
            case .serverName: tls.serverName = value; usesTLS = true
            case .sendTimeout: settings.sendTimeout = try ValueParsers.duration(value, option: name)
            case .recvTimeout: settings.receiveTimeout = try ValueParsers.duration(value, option: name)
            case .surveyTime: settings.surveyTime = try ValueParsers.duration(value, option: name)
            case .recvMaxSize: settings.receiveMaxSize = try ValueParsers.size(value, option: name)
            case .socketOption:
                guard let equals = value.firstIndex(of: "="), equals != value.startIndex else {
                    throw UsageError("invalid value '\(value)' for \(name): expected NAME=VALUE")
                }
                settings.socketOptions.append((String(value[..<equals]), String(value[value.index(after: equals)...])))
            case .verbose: settings.verbose = true
            case .quiet: settings.quiet = true
            case .null: settings.separator = 0
            case .subscribe: settings.subscriptions.append(Array(value.utf8))
            case .format, .setFormat:
                // What was chosen, to tell a repeat of the same choice from a contradiction.
                let choice: String
                if case .setFormat(let f) = occurrence.spec.key {
                    choice = f.rawValue
                } else if value.contains("{{") {
                    choice = "{{" + value
                } else {
                    guard OutputFormat(rawValue: value) != nil else {
                        throw UsageError("unknown format '\(value)' for \(name) (known: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")); or a template with {{)")
                    }
                    choice = value
                }
                if let formatGiven, formatGiven.choice != choice {
                    throw UsageError("choose one output format: both \(formatGiven.name) and \(name) given")
                }
                if choice.hasPrefix("{{") {
                    settings.outputTemplate = try compileTemplate(value, for: .output, label: "\(name) '\(value)'")
                } else {
                    settings.format = OutputFormat(rawValue: choice)!
                }
                formatGiven = (name, choice)
            default: continue
            }
        }
        if settings.verbose && settings.quiet { throw UsageError("--verbose and --quiet contradict each other") }
        if parsed.has(.async) && parsed.has(.noRetry) { throw UsageError("--async and --no-retry contradict each other") }
        if let low = settings.reconnectMin, let high = settings.reconnectMax, high != .zero, high < low {
            throw UsageError("--reconnect-max \(DurationText.format(high)) is shorter than --reconnect-min \(DurationText.format(low))")
        }
        if !settings.subscriptions.isEmpty && proto != .sub0 {
            throw UsageError("--subscribe works only with --sub, not with \(proto.shortName)")
        }
        if tls.keyFile != nil && tls.certificateFile == nil { throw UsageError("--key needs --cert") }
        if settings.outputTemplate?.uses(.topic) == true && proto != .sub0 {
            throw UsageError("{{topic}} in --format works only with --sub (it is the --subscribe prefix a message matched)")
        }
        if usesTLS { settings.tls = tls }
        return settings
    }

    static func compileTemplate(_ text: String, for use: TemplateUse, label: String) throws(UsageError) -> Template {
        do { return try TemplateCompiler.compile(text, for: use) } catch { throw UsageError("\(label): \(error.message)") }
    }

    static func readableFile(_ path: String, option: String) throws(UsageError) -> String {
        if path == "-" { return path }
        var status = stat()
        guard stat(path, &status) == 0 else { throw UsageError("cannot read \(path) for \(option): \(String(cString: strerror(errno)))") }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw UsageError("cannot read \(path) for \(option): it is a directory") }
        guard access(path, R_OK) == 0 else { throw UsageError("cannot read \(path) for \(option): \(String(cString: strerror(errno)))") }
        return path
    }

    /// The socket settings, with a bare URL (the first positional word, when
    /// no --dial or --listen was given) put on the protocol's conventional
    /// side; returns the positional words left over.
    static func endpoints(_ parsed: ParsedArguments, protocol proto: SocketProtocol,
                          bareURLListens: Bool) throws(UsageError) -> (SocketSettings, ArraySlice<String>) {
        var socket = try socketSettings(parsed, protocol: proto)
        var positionals = parsed.positionals[...]
        if socket.dials.isEmpty && socket.listens.isEmpty {
            guard let url = positionals.popFirst() else {
                throw UsageError("no endpoint: give a URL, --dial URL or --listen URL")
            }
            try placeBareURL(url, into: &socket, listens: bareURLListens)
        }
        return (socket, positionals)
    }

    /// Puts a bare URL on the side the caller chose for the protocol.
    static func placeBareURL(_ url: String, into settings: inout SocketSettings, listens: Bool) throws(UsageError) {
        let checked = try ValueParsers.url(url, option: "URL")
        if listens { settings.listens.append(checked) } else { settings.dials.append(checked) }
    }

    /// `listen` and `repl` keep dialing until a peer is there, unless told otherwise.
    static func longRunningDialPolicy(_ parsed: ParsedArguments, given: DialPolicy) -> DialPolicy {
        if given == .background { return .background }
        return parsed.has(.noRetry) ? .failFast : .retry
    }

    static func send(_ parsed: ParsedArguments) throws(UsageError) -> SendSettings {
        let proto = try chooseProtocol(parsed, default: .push0)
        guard proto.canSend else { throw UsageError("\(proto.shortName) cannot send; use 'nngcat listen --\(proto.shortName)'") }
        let (socket, positionals) = try endpoints(parsed, protocol: proto, bareURLListens: proto == .pub0 || proto == .surveyor0)
        var settings = SendSettings(socket: socket)
        var sources: [String] = []
        if !positionals.isEmpty {
            settings.source = .messages(positionals.map { Array($0.utf8) })
            sources.append("MESSAGE arguments")
        }
        let data = parsed.all(.data)
        if !data.isEmpty {
            settings.source = .messages(data.map { Array(($0.value ?? "").utf8) })
            sources.append("--data")
        }
        if let file = parsed.last(.file) {
            settings.source = .file(try readableFile(file.value ?? "", option: file.spelling))
            sources.append("--file")
        }
        if parsed.has(.whole) {
            if !sources.isEmpty { throw UsageError("--whole reads stdin, but messages also come from \(sources[0])") }
            settings.source = .stdinWhole
        }
        if sources.count > 1 { throw UsageError("choose one message source: \(sources[0]) and \(sources[1]) both given") }
        if let input = parsed.last(.input) {
            guard let format = InputFormat(rawValue: input.value ?? "") else {
                throw UsageError("unknown input format '\(input.value ?? "")' (known: \(InputFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            settings.input = format
        }
        settings.template = parsed.has(.template)
        settings.lossy = parsed.has(.lossy)
        if settings.lossy && proto != .pub0 { throw UsageError("--lossy works only with --pub, not with \(proto.shortName)") }
        // Texts given on the command line are checked before anything is sent
        // (decoded ones, with --input, when the feed decodes them).
        if settings.template && settings.input == .raw {
            let labelled = data.isEmpty ? positionals.map { ("message", $0) } : data.map { ($0.spelling, $0.value ?? "") }
            for (label, text) in labelled { _ = try compileTemplate(text, for: .payload, label: "\(label) '\(text)'") }
        }
        for occurrence in parsed.options {
            let value = occurrence.value ?? ""
            switch occurrence.spec.key {
            case .count: settings.count = try ValueParsers.integer(value, option: occurrence.spelling)
            case .delay: settings.delay = try ValueParsers.duration(value, option: occurrence.spelling)
            case .waitPeers: settings.waitPeers = try ValueParsers.integer(value, option: occurrence.spelling)
            case .connectTimeout: settings.connectTimeout = try ValueParsers.duration(value, option: occurrence.spelling)
            case .linger: settings.linger = try ValueParsers.duration(value, option: occurrence.spelling)
            default: continue
            }
        }
        if settings.socket.surveyTime != nil && proto != .surveyor0 { throw UsageError("--survey-time works only with --surveyor") }
        try ObservationOptions.apply(parsed, to: &settings)
        return settings
    }

    static func listen(_ parsed: ParsedArguments) throws(UsageError) -> ListenSettings {
        let proto = try chooseProtocol(parsed, default: .pull0)
        guard proto.canReceive else { throw UsageError("\(proto.shortName) cannot receive; use 'nngcat send --\(proto.shortName)'") }
        var (socket, positionals) = try endpoints(parsed, protocol: proto, bareURLListens: !(proto == .sub0 || proto == .respondent0))
        if let extra = positionals.first { throw UsageError("unexpected argument '\(extra)' (listen takes one URL)") }
        socket.dialPolicy = longRunningDialPolicy(parsed, given: socket.dialPolicy)
        var settings = ListenSettings(socket: socket)
        var replies: [String] = []
        for occurrence in parsed.options {
            let value = occurrence.value ?? ""
            switch occurrence.spec.key {
            case .count: settings.count = try ValueParsers.integer(value, option: occurrence.spelling, minimum: 1)
            case .jobs: settings.jobs = try ValueParsers.integer(value, option: occurrence.spelling, minimum: 1)
            case .reply:
                settings.reply = parsed.has(.template)
                    ? .template(try compileTemplate(value, for: .reply, label: "--reply '\(value)'")) : .text(Array(value.utf8))
                replies.append("--reply")
            case .echo: settings.reply = .echo; replies.append("--echo")
            case .exec: settings.exec = value; replies.append("--exec")
            default: continue
            }
        }
        if parsed.has(.template), replies != ["--reply"] {
            throw UsageError("--template in listen makes --reply TEXT a template: give --reply (send --template makes messages templates)")
        }
        let answers = proto == .rep0 || proto == .respondent0
        if answers {
            if replies.isEmpty { throw UsageError("\(proto.shortName) must answer: give --reply TEXT, --echo or --exec CMD") }
            if replies.count > 1 { throw UsageError("choose one way to answer: \(replies[0]) and \(replies[1]) both given") }
            if let command = settings.exec {
                settings.reply = .exec(command)
                settings.exec = nil
            }
        } else if let first = replies.first(where: { $0 != "--exec" }) {
            throw UsageError("\(first) works only with --rep or --respondent")
        }
        settings.stats = try ObservationOptions.stats(parsed)
        settings.checkSeq = parsed.has(.checkSeq)
        if settings.checkSeq && settings.stats == nil { settings.stats = StatsSettings(interval: nil) }
        return settings
    }
}
