import Testing
@testable import NNGCatCLI

/// `nngcat COMMAND --help`, generated from the option table.
@Suite("help text")
struct HelpTextTests {
    static let subcommands: [Command] = [.send, .listen, .repl, .bench]

    /// The option rows' left column (the spellings and value name), one
    /// entry per row, read back from the help text.
    static func leftColumns(_ help: String) -> [[String]] {
        let lines = help.split(separator: "\n").prefix { $0 != "Examples:" }
        return lines.filter { $0.hasPrefix("  ") && !$0.hasPrefix(String(repeating: " ", count: 30)) }.map { line in
            let left = line.count > 30 && line.dropFirst(29).first == " " ? line.prefix(30) : line[...]
            // An optional value is shown glued on (`--stats[=DUR]`): the spelling ends at the bracket.
            return left.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "[" }).map(String.init).filter { $0.hasPrefix("-") }
        }
    }

    static func spellings(_ option: OptionSpec) -> [String] {
        (option.short.map { ["-\($0)"] } ?? []) + option.allLongNames.map { "--" + $0 }
    }

    @Test("the help of a subcommand has a row for every option, with all its spellings, and no other",
          arguments: subcommands)
    func everyOption(command: Command) {
        let help = HelpText.help(for: command)
        let shown = OptionTable.options(for: command)
        for option in shown {
            #expect(help.contains(HelpText.row(option) + "\n"), "\(command): --\(option.long)")
        }
        // Grouped: the groups in order of first appearance, each group's options in table order.
        var groups: [String] = []
        for option in shown where !groups.contains(option.group) { groups.append(option.group) }
        let grouped = groups.flatMap { group in shown.filter { $0.group == group } }
        #expect(Self.leftColumns(help) == grouped.map(Self.spellings))
    }

    @Test("group titles come in table order, each once", arguments: subcommands)
    func grouping(command: Command) {
        let help = HelpText.help(for: command)
        var expected: [String] = []
        for option in OptionTable.options(for: command) where !expected.contains(option.group + ":") {
            expected.append(option.group + ":")
        }
        let titles = help.split(separator: "\n").map(String.init).filter { $0.hasSuffix(":") && !$0.hasPrefix(" ") }
        #expect(titles == expected + ["Examples:"])
    }

    /// Whether `text` contains `spelling` as a whole option name (not as the
    /// start of a longer one).
    static func mentions(_ text: String, _ spelling: String) -> Bool {
        var rest = Substring(text)
        while let range = rest.firstRange(of: spelling) {
            let next = rest[range.upperBound...].first
            if next == nil || !(next!.isLetter || next!.isNumber || next! == "-") { return true }
            rest = rest[range.upperBound...]
        }
        return false
    }

    @Test("rows: the short option or its room, then the help text in column 31 or on the next line")
    func rows() {
        let verbose = OptionTable.options.first { $0.long == "verbose" }!
        #expect(HelpText.row(verbose) == "  -v, --verbose" + String(repeating: " ", count: 15) + verbose.help)
        let whole = OptionTable.options.first { $0.long == "whole" }!
        #expect(HelpText.row(whole) == "      --whole" + String(repeating: " ", count: 17) + whole.help)
        let push = OptionTable.options.first { $0.long == "push" }!
        #expect(HelpText.row(push).hasPrefix("      --push, --push0 "))
        let respondent = OptionTable.options.first { $0.long == "respondent" }!
        #expect(HelpText.row(respondent) == "      --respondent, --respondent0\n" + String(repeating: " ", count: 30) + respondent.help)
    }

    @Test("the legacy help is the C tool's text: it names every legacy option except those the C tool leaves out")
    func legacyHelp() {
        // receive-timeout is ours (the spelling of NNG's manual); the C tool has no row for the others.
        let notInCHelp: Set<String> = ["help", "version", "bus0", "socket-name", "receive-timeout"]
        for option in LegacyOptionTable.options where !notInCHelp.contains(option.long) {
            #expect(Self.mentions(LegacyHelp.text, "--" + option.long), "--\(option.long)")
            if let short = option.short {
                #expect(Self.mentions(LegacyHelp.text, " -\(short)"), "-\(short)")
            }
        }
        for left in notInCHelp {
            #expect(!Self.mentions(LegacyHelp.text, "--" + left), "--\(left)")
        }
    }

    @Test("a command without a summary gets the top-level help")
    func topLevel() {
        #expect(HelpText.help(for: .legacy) == HelpText.topLevel)
        for command in Self.subcommands {
            #expect(HelpText.topLevel.contains("nngcat \(command.rawValue)"))
        }
    }
}
