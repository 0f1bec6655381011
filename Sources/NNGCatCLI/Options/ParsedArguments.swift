/// One option as it appeared on the command line.
struct OptionOccurrence: Sendable {
    let spec: OptionSpec
    /// The spelling used, e.g. `--req` or `-D`, for error messages.
    let spelling: String
    let value: String?
}

/// The command line split into options (matched against the table) and positional words.
struct ParsedArguments: Sendable {
    var command: Command
    var options: [OptionOccurrence] = []
    var positionals: [String] = []

    func has(_ key: OptionKey) -> Bool { options.contains { $0.spec.key == key } }
    func last(_ key: OptionKey) -> OptionOccurrence? { options.last { $0.spec.key == key } }
    func all(_ key: OptionKey) -> [OptionOccurrence] { options.filter { $0.spec.key == key } }
}
