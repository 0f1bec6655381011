/// One option as it appeared on the command line.
public struct OptionOccurrence: Sendable {
    public let spec: OptionSpec
    /// The spelling used, e.g. `--req` or `-D`, for error messages.
    public let spelling: String
    public let value: String?
}

/// The command line split into options (matched against the table) and positional words.
public struct ParsedArguments: Sendable {
    public var command: Command
    public var options: [OptionOccurrence] = []
    public var positionals: [String] = []

    public func has(_ key: OptionKey) -> Bool { options.contains { $0.spec.key == key } }
    public func last(_ key: OptionKey) -> OptionOccurrence? { options.last { $0.spec.key == key } }
    public func all(_ key: OptionKey) -> [OptionOccurrence] { options.filter { $0.spec.key == key } }
}
