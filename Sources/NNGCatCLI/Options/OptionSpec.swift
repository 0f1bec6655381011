import NNGCore

/// The subcommands, plus the C nngcat's flag syntax.
enum Command: String, CaseIterable, Sendable {
    case send, listen, repl, bench, probe, proxy, legacy
}

/// What an option's value is; drives parsing, completion and documentation.
enum ValueKind: Sendable, Equatable {
    case none, text, integer, duration, size, url, file, protocolName, outputFormat, inputFormat, keyValue, seconds
    /// A value given only inline (`--stats=2s`); the option alone takes the default.
    case optionalDuration
}

/// What an option means, independent of how it is spelled.
enum OptionKey: Hashable, Sendable {
    case setProtocol(SocketProtocol?)   // nil: --pair, resolved later
    case protocolName
    case dial, listen, data, file, null, whole, input
    case count, interval, delay, waitPeers, connectTimeout, async, noRetry, reconnectMin, reconnectMax, linger, lossy
    case recvTimeout, sendTimeout, surveyTime, recvMaxSize
    case subscribe, format, setFormat(OutputFormat), reply, echo, exec, jobs
    case verbose, quiet, cacert, cert, key, insecure, serverName, socketOption
    case noHistory, size, clients, subscribers, role
    case template
    case rate, duration, pace, speed, stats, statsFormat, progress, noProgress, checkSeq
    case help, version
    case proxyIn, proxyOut, proxyInDial, proxyOutDial, tap, tapMatch
    // Legacy only.
    case legacyDialLocal, legacyListenLocal, legacyDialIPC, legacyListenIPC, compat, socketName, ztHome
}

/// One row of the option table: the single source for parsing, `--help`,
/// "did you mean" suggestions, the completion scripts and the man page.
struct OptionSpec: Sendable {
    let long: String
    let short: Character?
    let aliases: [String]
    let value: ValueKind
    let valueName: String
    let key: OptionKey
    let commands: Set<Command>
    let group: String
    let help: String

    /// Whether the next word is the option's value. An optional value is only
    /// ever inline: `--stats 2s` would be ambiguous with a positional word.
    var takesValue: Bool { value != .none && value != .optionalDuration }
    var takesOptionalValue: Bool { value == .optionalDuration }
    var allLongNames: [String] { [long] + aliases }
}
