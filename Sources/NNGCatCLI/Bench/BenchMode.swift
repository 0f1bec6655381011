import Glibc
import NNGCore

/// `nngcat bench push|pubsub|reqrep [URL]`: a built-in benchmark that runs
/// both ends in this process (or one end with `--role`) and prints
/// messages/s, MB/s and, for reqrep, round-trip latency percentiles.
enum BenchMode {
    static func run(_ parsed: ParsedArguments) -> ExitStatus {
        let config: BenchConfig
        do throws(UsageError) { config = try BenchConfig(parsed) } catch {
            Diagnostics.error(error.message)
            return .usage
        }
        do throws(CLIError) {
            let result: BenchResult
            switch config.pattern {
            case .push: result = try BenchPush.run(config)
            case .pubsub: result = try BenchPubSub.run(config)
            case .reqrep: result = try BenchReqRep.run(config)
            }
            Diagnostics.print(result.summary(config))
            return .success
        } catch {
            Diagnostics.error(error.message)
            return error.status
        }
    }
}

enum BenchPattern: String, CaseIterable, Sendable { case push, pubsub, reqrep }
enum BenchRole: String, Sendable { case both, sender, receiver }

/// The validated command line of `bench`.
struct BenchConfig: Sendable {
    var pattern: BenchPattern
    var url = "inproc://nngcat-bench"
    /// `--dial` or `--listen`, when given instead of a positional URL.
    var endpoint: EndpointChoice = .byDefault
    enum EndpointChoice: Sendable { case byDefault, dial, listen }
    var size = 16
    var count = 100_000
    var subscribers = 1
    var clients = 1
    var role = BenchRole.both

    init(_ parsed: ParsedArguments) throws(UsageError) {
        let words = parsed.positionals
        guard let first = words.first else {
            throw UsageError("bench needs a pattern: push, pubsub or reqrep (e.g. nngcat bench push --count 100000)")
        }
        guard let pattern = BenchPattern(rawValue: first) else {
            throw UsageError("unknown bench pattern '\(first)' (expected push, pubsub or reqrep)")
        }
        self.pattern = pattern
        guard words.count <= 2 else { throw UsageError("unexpected argument '\(words[2])' (bench takes a pattern and one URL)") }
        var urls = 0
        if words.count == 2 { url = try ValueParsers.url(words[1], option: "bench"); urls += 1 }
        if let dial = parsed.last(.dial)?.value { url = try ValueParsers.url(dial, option: "--dial"); endpoint = .dial; urls += 1 }
        if let listen = parsed.last(.listen)?.value { url = try ValueParsers.url(listen, option: "--listen"); endpoint = .listen; urls += 1 }
        guard urls <= 1 else { throw UsageError("bench takes one URL (a positional URL, --dial or --listen)") }
        if let text = parsed.last(.size)?.value { size = try ValueParsers.size(text, option: "--size") }
        if let text = parsed.last(.count)?.value { count = try ValueParsers.integer(text, option: "--count", minimum: 1) }
        if let text = parsed.last(.subscribers)?.value { subscribers = try ValueParsers.integer(text, option: "--subscribers", minimum: 1) }
        if let text = parsed.last(.clients)?.value { clients = try ValueParsers.integer(text, option: "--clients", minimum: 1) }
        if let text = parsed.last(.role)?.value {
            guard let role = BenchRole(rawValue: text), role != .both else {
                throw UsageError("invalid role '\(text)' for --role (expected sender or receiver)")
            }
            self.role = role
        }
        if role != .both, url.hasPrefix("inproc://") {
            throw UsageError("--role needs an ipc:// or tcp:// URL: inproc works only inside one process")
        }
        // The options bench shares with send/listen (--recv-maxsz, TLS files, -v/-q)
        // are checked the same way, not silently accepted with a wrong value.
        _ = try SettingsBuilder.socketSettings(parsed, protocol: .push0)
        if parsed.has(.subscribers), pattern != .pubsub { throw UsageError("--subscribers applies to pubsub only") }
        if parsed.has(.clients), pattern != .reqrep { throw UsageError("--clients applies to reqrep only") }
    }

    /// Whether a side listens. By default pull, rep and pub listen and their
    /// peers dial. With `--role`, `--dial`/`--listen` says what this process
    /// does; with both ends here, it says what the usual listener does.
    func listens(usualListener: Bool) -> Bool {
        switch (endpoint, role) {
        case (.byDefault, _): usualListener
        case (.dial, .both): !usualListener
        case (.listen, .both): usualListener
        case (.dial, _): false
        case (.listen, _): true
        }
    }

    /// Opens the endpoint of one side.
    func attach(_ socket: Socket, usualListener: Bool) throws(CLIError) {
        do throws(NNGError) {
            if listens(usualListener: usualListener) { try socket.listen(url) } else { try socket.dial(url, blocking: false) }
        } catch { throw CLIError(error) }
    }
}
