import NNGCore

/// The subcommands, plus the C nngcat's flag syntax.
public enum Command: String, CaseIterable, Sendable {
    case send, listen, repl, bench, legacy
}

/// What an option's value is; drives parsing, completion and documentation.
public enum ValueKind: Sendable, Equatable {
    case none, text, integer, duration, size, url, file, protocolName, outputFormat, inputFormat, keyValue, seconds
}

/// What an option means, independent of how it is spelled.
public enum OptionKey: Hashable, Sendable {
    case setProtocol(SocketProtocol?)   // nil: --pair, resolved later
    case protocolName
    case dial, listen, data, file, null, whole, input
    case count, interval, delay, waitPeers, connectTimeout, async, noRetry, reconnectMin, reconnectMax, linger
    case recvTimeout, sendTimeout, surveyTime, recvMaxSize
    case subscribe, format, setFormat(OutputFormat), reply, echo, exec, jobs
    case verbose, quiet, cacert, cert, key, insecure, serverName, socketOption
    case noHistory, size, clients, subscribers, role
    case help, version
    // Legacy only.
    case legacyDialLocal, legacyListenLocal, legacyDialIPC, legacyListenIPC, compat, socketName, ztHome
}

/// One row of the option table: the single source for parsing, `--help`,
/// "did you mean" suggestions, the completion scripts and the man page.
public struct OptionSpec: Sendable {
    public let long: String
    public let short: Character?
    public let aliases: [String]
    public let value: ValueKind
    public let valueName: String
    public let key: OptionKey
    public let commands: Set<Command>
    public let group: String
    public let help: String
    /// Listed in help only under its primary spelling's row.
    public let hidden: Bool

    public var takesValue: Bool { value != .none }
    public var allLongNames: [String] { [long] + aliases }
}
