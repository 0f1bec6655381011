import NNGCore

/// One dot-command of `nngcat repl`. The table below is the single source for
/// dispatch, `.help`, tab completion, and (for the generators) the man page.
struct ReplCommand: Sendable {
    /// What the command does, independent of its spelling.
    enum Key: Sendable, CaseIterable {
        case dial, listen, close, proto, sub, unsub, format, send, hex, file, set, timeout, status, help, quit
    }

    /// What the command's argument is, for completion.
    enum Argument: Sendable, Equatable {
        case none, url, protocolName, formatName, optionName, file, commandName, text
    }

    let key: Key
    /// The name as typed, with its dot: `.dial`.
    let name: String
    /// The argument as usage shows it: `URL`, `[COMMAND]`; empty when none.
    let usage: String
    let argument: Argument
    /// One line for the `.help` list.
    let summary: String
    /// More, for `.help NAME`; may be empty.
    let details: String
}

enum ReplCommands {
    static let all: [ReplCommand] = [
        command(.dial, "URL", .url, "connect to URL (repeatable; --async dials in the background)"),
        command(.listen, "URL", .url, "accept connections on URL"),
        command(.close, "URL", .url, "close the dialer or listener of URL"),
        command(.proto, "NAME", .protocolName, "switch protocol: reopens the socket and its endpoints",
                "NAME is one of \(ValueParsers.protocolNames.joined(separator: ", ")). Endpoints are dialed and listened on again; sub starts subscribed to everything."),
        command(.sub, "[TOPIC]", .text, "sub: receive messages starting with TOPIC (no TOPIC: everything)",
                "The first .sub replaces the initial subscription to everything."),
        command(.unsub, "[TOPIC]", .text, "sub: stop receiving TOPIC"),
        command(.format, "[NAME]", .formatName, "how received messages print: \(OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))"),
        command(.send, "TEXT", .text, "send TEXT as is (for text that starts with a dot)"),
        command(.hex, "HEX", .text, "send bytes written in hex: 48 69 0a, or \"\\x48\\x69\""),
        command(.file, "PATH", .file, "send the whole file as one message"),
        command(.set, "OPTION VALUE", .optionName, "set a socket option by name",
                "Known options: \(ReplOptions.names.joined(separator: ", ")); any other NNG option name works too. Durations take units (250ms, 2s), sizes take k/m/g."),
        command(.timeout, "[DUR|off]", .none, "how long a send or a reply may take (default 10s)"),
        command(.status, "", .none, "protocol, endpoints, connected peers and message counts"),
        command(.help, "[COMMAND]", .commandName, "list the commands, or explain one"),
        command(.quit, "", .none, "leave (also Ctrl-D, or Ctrl-C twice on an empty line)"),
    ]

    private static func command(_ key: ReplCommand.Key, _ usage: String, _ argument: ReplCommand.Argument,
                                _ summary: String, _ details: String = "") -> ReplCommand {
        ReplCommand(key: key, name: "." + String(describing: key), usage: usage, argument: argument, summary: summary, details: details)
    }

    static func named(_ name: String) -> ReplCommand? {
        let dotted = name.hasPrefix(".") ? name : "." + name
        return all.first { $0.name == dotted }
    }

    /// ` (did you mean '.dial'?)` for a near miss, as the option parser suggests.
    static func suggestion(for name: String) -> String {
        let best = all.map { ($0.name, ArgumentParser.editDistance(name, $0.name)) }.min { $0.1 < $1.1 }
        guard let best, best.1 < 4 else { return "" }
        return " (did you mean '\(best.0)'?)"
    }

    /// `.help`: the list. `.help NAME`: one command.
    static func helpText(for topic: String) -> String? {
        guard !topic.isEmpty else {
            var text = "A plain line is sent as a message (req: a request, and the reply is printed).\n"
            let width = all.map { ($0.name + " " + $0.usage).count }.max() ?? 0
            for command in all {
                let left = command.usage.isEmpty ? command.name : command.name + " " + command.usage
                text += "  " + left + String(repeating: " ", count: width - left.count + 2) + command.summary + "\n"
            }
            text += "Tab completes commands, protocols, formats, options, files and URLs. Ctrl-C clears the line.\n"
            return text
        }
        guard let command = named(topic) else { return nil }
        var text = "\(command.name)\(command.usage.isEmpty ? "" : " " + command.usage): \(command.summary)\n"
        if !command.details.isEmpty { text += command.details + "\n" }
        return text
    }

    // MARK: Completion

    /// What Tab offers for the word being typed.
    enum Completion: Equatable {
        case candidates([String])
        /// Let readline complete file names.
        case files
    }

    /// Candidates for `word`, which starts where `lineBefore` (the text before
    /// it on the line) ends. `urls` are those of this session and its history.
    static func complete(word: String, lineBefore: String, urls: [String]) -> Completion {
        let words = lineBefore.split(separator: " ", omittingEmptySubsequences: true)
        guard let first = words.first else {
            // The first word: a command name (a plain message completes to nothing).
            return .candidates(word.hasPrefix(".") || word.isEmpty ? all.map(\.name).filter { $0.hasPrefix(word) } : [])
        }
        guard let command = named(String(first)), first.hasPrefix(".") else { return .candidates([]) }
        let position = words.count  // the argument's index, 1 for the first
        let pool: [String]
        switch command.argument {
        case .none, .text: pool = []
        case .url: pool = position == 1 ? urls : []
        case .protocolName: pool = position == 1 ? ValueParsers.protocolNames : []
        case .formatName: pool = position == 1 ? OutputFormat.allCases.map(\.rawValue) : []
        case .optionName: pool = position == 1 ? ReplOptions.names : []
        case .commandName: pool = position == 1 ? all.map { String($0.name.dropFirst()) } : []
        case .file: return .files
        }
        var seen = Set<String>()
        return .candidates(pool.filter { $0.hasPrefix(word) && seen.insert($0).inserted })
    }

    /// URLs mentioned in lines (history entries): every word with `://` and a known scheme.
    static func urls(in lines: [String]) -> [String] {
        var found: [String] = []
        var seen = Set<String>()
        for line in lines.reversed() {  // the most recent first
            for word in line.split(separator: " ") where word.contains("://") {
                let url = String(word)
                if let scheme = Endpoint.scheme(of: url), Endpoint.schemes.contains(scheme), seen.insert(url).inserted {
                    found.append(url)
                }
            }
        }
        return found
    }
}
