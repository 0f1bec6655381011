import NNGCore

/// `nngcat __generate completion bash|zsh|fish`, `nngcat __generate
/// man-options [COMMAND]` and `nngcat __generate options COMMAND`: the
/// generated documentation and the raw option list, for scripts/regenerate-docs
/// and the documentation tests. Not listed in any help.
enum DocGenerator {
    static let usage = "usage: nngcat __generate completion bash|zsh|fish | man-options [COMMAND] | options COMMAND\n"
        + "       (COMMAND: send, listen, repl, bench, probe, proxy or legacy)"

    static func run(_ words: [String]) -> ExitStatus {
        switch (words.first, words.count) {
        case ("completion", 2):
            guard let shell = CompletionScripts.Shell(rawValue: words[1]) else { break }
            Diagnostics.print(CompletionScripts.script(for: shell))
            return .success
        case ("options", 2):
            // The parser's own table, one spelling a line: what the coverage test checks the docs against.
            guard let command = Command(rawValue: words[1]) else { break }
            for spec in OptionTable.options(for: command) {
                Diagnostics.print(((spec.short.map { ["-\($0)"] } ?? []) + spec.allLongNames.map { "--" + $0 }).joined(separator: "\n") + "\n")
            }
            return .success
        case ("man-options", 1):
            Diagnostics.print(ManPageOptions.allSections())
            return .success
        case ("man-options", 2):
            guard let command = Command(rawValue: words[1]) else { break }
            Diagnostics.print(ManPageOptions.fragment(for: command))
            return .success
        default:
            break
        }
        Diagnostics.line(usage)
        return .usage
    }
}
